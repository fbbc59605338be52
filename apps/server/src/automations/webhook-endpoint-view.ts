/** A webhook endpoint as the API shows it; the secret only ever appears when it is made. */
export function webhookEndpointView(row: {
  id: string;
  url: string;
  status: 'active' | 'disabled';
  created_at: Date;
}) {
  return { id: row.id, url: row.url, status: row.status, createdAt: row.created_at.toISOString() };
}
