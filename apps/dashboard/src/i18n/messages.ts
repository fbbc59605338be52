import { defineMessages, type Messages } from './define-messages.ts';
import { fieldErrorMessages } from './areas/field-errors.ts';
import { tiersMessages } from './areas/tiers.ts';
import { printablesMessages } from './areas/printables.ts';
import { analyticsMessages } from './areas/analytics.ts';
import { stampsMessages } from './areas/stamps.ts';
import { settingsMessages } from './areas/settings.ts';
import { onboardingMessages } from './areas/onboarding.ts';
import { customersMessages } from './areas/customers.ts';
import { programmeMessages } from './areas/programme.ts';
import { couponsMessages } from './areas/coupons.ts';
import { giftCardsMessages } from './areas/giftCards.ts';
import { giftCardSalesMessages } from './areas/giftCardSales.ts';
import { rewardsMessages } from './areas/rewards.ts';
import { storefrontMessages } from './areas/storefront.ts';
import { connectionsMessages } from './areas/connections.ts';
import { flowsMessages } from './areas/flows.ts';
import { messagesMessages } from './areas/messages.ts';
import { feedbackMessages } from './areas/feedback.ts';
import { segmentsMessages } from './areas/segments.ts';
import { referralsMessages } from './areas/referrals.ts';
import { exportsMessages } from './areas/exports.ts';

/**
 * Every text of the dashboard, as ICU messages (FormatJS), in Polish and English. Polish
 * plurals use one / few / many / other, e.g. "1 punkt, 2 punkty, 5 punktów".
 *
 * The shell's texts (sign-in, navigation, Home, Team) are here; each page area keeps its own in
 * `areas/<area>.ts` (made with `defineMessages`) and is listed in AREAS below. Ids start with
 * the area's name, so they never clash (test/dashboard/messages.test.ts checks).
 */

const en = {
  'app.name': 'Lojal',
  'app.skip': 'Skip to content',
  'app.loading': 'Loading…',
  'app.error': 'Something went wrong: {detail}',
  'app.retry': 'Try again',
  'app.forbidden': 'Your role in this shop does not allow this.',
  'app.notFound': 'There is no such page.',
  'app.backHome': 'Back to Home',
  'lang.label': 'Language',
  'nav.main': 'Main navigation',
  'nav.home': 'Home',
  'nav.team': 'Team',
  'nav.shop': 'Shop',
  'nav.signOut': 'Sign out',
  'nav.menu': 'Menu',
  'role.owner': 'owner',
  'role.admin': 'admin',
  'role.marketer': 'marketer',
  'role.support': 'support',
  'role.analyst': 'analyst',
  'field.email': 'Enter a valid e-mail address.',
  'field.password': 'Enter your password.',
  'field.newPassword': 'The password needs 10 to 200 characters.',
  'signIn.title': 'Sign in to Lojal',
  'signIn.email': 'E-mail',
  'signIn.password': 'Password',
  'signIn.otp': 'Code from your authenticator app',
  'signIn.otpHint': 'Six digits',
  'signIn.submit': 'Sign in',
  'signIn.forgot': 'Forgot your password?',
  'signIn.wrong': 'The e-mail address or the password is not right.',
  'signIn.otpRequired': 'Enter the code from your authenticator app.',
  'signIn.otpInvalid': 'The code does not match.',
  'signIn.throttled':
    'Too many attempts. Try again in {seconds, plural, one {# second} other {# seconds}}.',
  'signIn.throttledMinutes':
    'Too many attempts. Try again in {minutes, plural, one {# minute} other {# minutes}}.',
  'invitation.title': 'Join a shop on Lojal',
  'invitation.name': 'Your name',
  'invitation.nameHint': 'Leave empty if you already have a Lojal login.',
  'invitation.password': 'Password',
  'invitation.passwordHint':
    'New to Lojal: choose a password of 10 to 200 characters. Already have a login: your password.',
  'invitation.submit': 'Accept the invitation',
  'invitation.invalid': 'This invitation link has expired or was already used.',
  'invitation.noToken': 'The link is incomplete: open it again from the e-mail.',
  'reset.title': 'Reset your password',
  'reset.email': 'E-mail',
  'reset.request': 'Send me a link',
  'reset.sent': 'If this address has a Lojal login, a link is on its way. It works for one hour.',
  'reset.newPassword': 'New password',
  'reset.newPasswordHint': '10 to 200 characters.',
  'reset.submit': 'Set the password',
  'reset.done': 'Your password is set. Sign in with it.',
  'reset.toSignIn': 'Go to sign in',
  'shop.switch': 'Shop',
  'home.title': 'Home',
  'home.period': 'Period',
  'home.period.7': 'Last 7 days',
  'home.period.30': 'Last 30 days',
  'home.period.90': 'Last 90 days',
  'home.period.365': 'Last 12 months',
  'home.vsPrevious': 'against the previous period ({days, plural, one {# day} other {# days}})',
  'home.revenue': 'Revenue',
  'home.returningRevenue': 'Revenue from returning customers',
  'home.returningShare': '{share} of revenue',
  'home.membersRevenue': "Members' revenue",
  'home.membersShare': '{share} of revenue; guests bring the rest',
  'home.referrals': 'Friends referred',
  'home.orders': 'Orders',
  'home.repeatRate': 'Repeat purchase rate',
  'home.newCustomers': 'New customers',
  'home.pointsIssued': 'Points issued',
  'home.pointsRedeemed': 'Points redeemed',
  'home.pointsExpired': 'Points expired',
  'home.redemptionRate': 'Redemption rate',
  'home.liability': 'Points liability',
  'home.liabilityDetail':
    '{points, plural, one {# point} other {# points}} held by {members, plural, one {# member} other {# members}}',
  'home.messagesSent': 'Messages sent',
  'home.points': '{count, plural, one {# point} other {# points}}',
  'home.change': '{change} against the previous period',
  'home.noChange': 'no previous figure to compare',
  'home.chart': 'Revenue and points issued over time',
  'home.chartRevenue': 'Revenue',
  'home.chartPoints': 'Points issued',
  'home.chartTable': 'The chart as a table',
  'home.chartDate': 'From',
  'home.empty': 'No orders in this period yet. Connect your shop and the figures appear here.',
  'team.title': 'Team',
  'team.members': 'Members',
  'team.name': 'Name',
  'team.email': 'E-mail',
  'team.role': 'Role',
  'team.invite': 'Invite a person',
  'team.inviteEmail': 'E-mail',
  'team.inviteRole': 'Role',
  'team.inviteSubmit': 'Send the invitation',
  'team.invited': 'Invitation sent to {email}.',
  'team.count': '{count, plural, one {# member} other {# members}}',
} as const;

const pl: Record<keyof typeof en, string> = {
  'app.name': 'Lojal',
  'app.skip': 'Przejdź do treści',
  'app.loading': 'Wczytywanie…',
  'app.error': 'Coś poszło nie tak: {detail}',
  'app.retry': 'Spróbuj ponownie',
  'app.forbidden': 'Twoja rola w tym sklepie na to nie pozwala.',
  'app.notFound': 'Nie ma takiej strony.',
  'app.backHome': 'Wróć do pulpitu',
  'lang.label': 'Język',
  'nav.main': 'Nawigacja główna',
  'nav.home': 'Pulpit',
  'nav.team': 'Zespół',
  'nav.shop': 'Sklep',
  'nav.signOut': 'Wyloguj',
  'nav.menu': 'Menu',
  'role.owner': 'właściciel',
  'role.admin': 'administrator',
  'role.marketer': 'marketing',
  'role.support': 'obsługa klienta',
  'role.analyst': 'analityk',
  'field.email': 'Wpisz poprawny adres e-mail.',
  'field.password': 'Wpisz hasło.',
  'field.newPassword': 'Hasło musi mieć od 10 do 200 znaków.',
  'signIn.title': 'Zaloguj się do Lojal',
  'signIn.email': 'E-mail',
  'signIn.password': 'Hasło',
  'signIn.otp': 'Kod z aplikacji uwierzytelniającej',
  'signIn.otpHint': 'Sześć cyfr',
  'signIn.submit': 'Zaloguj',
  'signIn.forgot': 'Nie pamiętasz hasła?',
  'signIn.wrong': 'Adres e-mail lub hasło jest nieprawidłowe.',
  'signIn.otpRequired': 'Wpisz kod z aplikacji uwierzytelniającej.',
  'signIn.otpInvalid': 'Kod się nie zgadza.',
  'signIn.throttled':
    'Zbyt wiele prób. Spróbuj ponownie za {seconds, plural, one {# sekundę} few {# sekundy} many {# sekund} other {# sekundy}}.',
  'signIn.throttledMinutes':
    'Zbyt wiele prób. Spróbuj ponownie za {minutes, plural, one {# minutę} few {# minuty} many {# minut} other {# minuty}}.',
  'invitation.title': 'Dołącz do sklepu w Lojal',
  'invitation.name': 'Imię i nazwisko',
  'invitation.nameHint': 'Zostaw puste, jeśli masz już konto w Lojal.',
  'invitation.password': 'Hasło',
  'invitation.passwordHint':
    'Nowe konto: wybierz hasło od 10 do 200 znaków. Masz już konto: wpisz swoje hasło.',
  'invitation.submit': 'Przyjmij zaproszenie',
  'invitation.invalid': 'Ten link wygasł albo został już użyty.',
  'invitation.noToken': 'Link jest niepełny: otwórz go ponownie z wiadomości.',
  'reset.title': 'Zmień hasło',
  'reset.email': 'E-mail',
  'reset.request': 'Wyślij mi link',
  'reset.sent': 'Jeśli ten adres ma konto w Lojal, wysłaliśmy link. Działa przez godzinę.',
  'reset.newPassword': 'Nowe hasło',
  'reset.newPasswordHint': 'Od 10 do 200 znaków.',
  'reset.submit': 'Ustaw hasło',
  'reset.done': 'Hasło jest ustawione. Zaloguj się nim.',
  'reset.toSignIn': 'Przejdź do logowania',
  'shop.switch': 'Sklep',
  'home.title': 'Pulpit',
  'home.period': 'Okres',
  'home.period.7': 'Ostatnie 7 dni',
  'home.period.30': 'Ostatnie 30 dni',
  'home.period.90': 'Ostatnie 90 dni',
  'home.period.365': 'Ostatnie 12 miesięcy',
  'home.vsPrevious':
    'w porównaniu z poprzednim okresem ({days, plural, one {# dzień} few {# dni} many {# dni} other {# dnia}})',
  'home.revenue': 'Przychód',
  'home.returningRevenue': 'Przychód od powracających klientów',
  'home.returningShare': '{share} przychodu',
  'home.membersRevenue': 'Przychód od członków programu',
  'home.membersShare': '{share} przychodu; resztę dają zakupy bez konta',
  'home.referrals': 'Poleceni znajomi',
  'home.orders': 'Zamówienia',
  'home.repeatRate': 'Odsetek ponownych zakupów',
  'home.newCustomers': 'Nowi klienci',
  'home.pointsIssued': 'Przyznane punkty',
  'home.pointsRedeemed': 'Wykorzystane punkty',
  'home.pointsExpired': 'Wygasłe punkty',
  'home.redemptionRate': 'Odsetek wykorzystania',
  'home.liability': 'Zobowiązanie z tytułu punktów',
  'home.liabilityDetail':
    '{points, plural, one {# punkt} few {# punkty} many {# punktów} other {# punktu}} u {members, plural, one {# członka} other {# członków}} programu',
  'home.messagesSent': 'Wysłane wiadomości',
  'home.points': '{count, plural, one {# punkt} few {# punkty} many {# punktów} other {# punktu}}',
  'home.change': '{change} względem poprzedniego okresu',
  'home.noChange': 'brak danych do porównania',
  'home.chart': 'Przychód i przyznane punkty w czasie',
  'home.chartRevenue': 'Przychód',
  'home.chartPoints': 'Przyznane punkty',
  'home.chartTable': 'Wykres w postaci tabeli',
  'home.chartDate': 'Od',
  'home.empty': 'Brak zamówień w tym okresie. Połącz sklep, a liczby pojawią się tutaj.',
  'team.title': 'Zespół',
  'team.members': 'Członkowie',
  'team.name': 'Imię i nazwisko',
  'team.email': 'E-mail',
  'team.role': 'Rola',
  'team.invite': 'Zaproś osobę',
  'team.inviteEmail': 'E-mail',
  'team.inviteRole': 'Rola',
  'team.inviteSubmit': 'Wyślij zaproszenie',
  'team.invited': 'Zaproszenie wysłane na adres {email}.',
  'team.count': '{count, plural, one {# osoba} few {# osoby} many {# osób} other {# osoby}}',
};

const AREAS: Messages[] = [
  defineMessages(en, pl),
  fieldErrorMessages,
  tiersMessages,
  stampsMessages,
  settingsMessages,
  onboardingMessages,
  customersMessages,
  programmeMessages,
  rewardsMessages,
  couponsMessages,
  giftCardsMessages,
  storefrontMessages,
  connectionsMessages,
  flowsMessages,
  messagesMessages,
  feedbackMessages,
  segmentsMessages,
  referralsMessages,
  printablesMessages,
  analyticsMessages,
  exportsMessages,
  giftCardSalesMessages,
];

export type Locale = 'pl' | 'en';
export const LOCALES: Locale[] = ['pl', 'en'];
export const MESSAGES: Record<Locale, Record<string, string>> = {
  en: Object.assign({}, ...AREAS.map((area) => area.en)) as Record<string, string>,
  pl: Object.assign({}, ...AREAS.map((area) => area.pl)) as Record<string, string>,
};
/** Each area's ids, for the test that no two areas use the same id. */
export const AREA_IDS: string[][] = AREAS.map((area) => Object.keys(area.en));
