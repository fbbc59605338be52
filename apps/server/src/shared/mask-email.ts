/** "a***@gmail.com": enough for the customer to recognise, not enough to read off a screen. */
export function maskEmail(email: string): string {
  const [user = '', domain = ''] = email.toLowerCase().split('@');
  return `${user.slice(0, 1)}***@${domain}`;
}
