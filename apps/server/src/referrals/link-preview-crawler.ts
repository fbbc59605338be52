/**
 * The robots that fetch a shared link to draw its preview (a card in a chat or a post), and
 * search engines' crawlers: they get the landing page, with its Open Graph tags, but their
 * fetch is not a person's visit, so it is not counted.
 */
const CRAWLERS = new RegExp(
  [
    'facebookexternalhit',
    'facebookcatalog',
    'Facebot',
    'meta-externalagent',
    'WhatsApp',
    'Twitterbot',
    'Slackbot',
    'Slack-ImgProxy',
    'TelegramBot',
    'Discordbot',
    'LinkedInBot',
    'SkypeUriPreview',
    'Pinterest',
    'redditbot',
    'Applebot',
    'vkShare',
    'Viber',
    'Snapchat',
    'Embedly',
    'Iframely',
    'Mastodon',
    'Bluesky',
    'Googlebot',
    'Google-InspectionTool',
    'bingbot',
    'DuckDuckBot',
    'YandexBot',
    'Baiduspider',
  ].join('|'),
  'i',
);

export function isLinkPreviewCrawler(userAgent: string | null | undefined): boolean {
  return typeof userAgent === 'string' && CRAWLERS.test(userAgent);
}
