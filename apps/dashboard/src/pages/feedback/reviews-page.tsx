import { useState } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Group,
  Image,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShopFormat } from '../../i18n/format.ts';
import { useShop } from '../../layout/shop-context.ts';
import { dayOf } from '../../ui/shop-time.ts';
import { SERVICE, useCan } from '../../ui/roles.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { FeedbackHeader } from './feedback-nav.tsx';
import {
  approveReview,
  loadReviews,
  photoDataUrl,
  rejectReview,
  replyToReview,
  reviewPoints,
  type Review,
  type ReviewStatus,
} from './feedback-data.ts';

const STATUSES: ReviewStatus[] = ['pending', 'approved', 'rejected'];

/** Review moderation: the queue, approved and rejected reviews, with photos and replies. */
export function ReviewsPage() {
  const intl = useIntl();
  const { membership } = useShop();
  const [status, setStatus] = useState<ReviewStatus>('pending');
  const [notice, setNotice] = useState<string | null>(null);
  const reviews = useQuery({
    queryKey: ['reviews', membership.id, status],
    queryFn: () => loadReviews(status),
  });
  return (
    <Stack>
      <FeedbackHeader />
      <SegmentedControl
        aria-label={intl.formatMessage({ id: 'feedback.reviews.status' })}
        value={status}
        onChange={(v) => {
          setStatus(v as ReviewStatus);
          setNotice(null);
        }}
        data={STATUSES.map((s) => ({
          value: s,
          label: intl.formatMessage({ id: `feedback.reviews.status.${s}` }),
        }))}
        w={{ base: '100%', sm: 'auto' }}
        style={{ alignSelf: 'flex-start' }}
      />
      {notice && (
        <Alert color="teal" role="status" data-testid="review-notice">
          {notice}
        </Alert>
      )}
      {reviews.isPending ? (
        <Loading />
      ) : reviews.error ? (
        <Failure error={reviews.error} onRetry={() => void reviews.refetch()} />
      ) : reviews.data.data.length === 0 ? (
        <Empty>
          <FormattedMessage id="feedback.reviews.none" />
        </Empty>
      ) : (
        <Stack gap="sm" data-testid="reviews">
          {reviews.data.data.map((r) => (
            <ReviewCard key={r.id} review={r} onDone={setNotice} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function ReviewCard({ review, onDone }: { review: Review; onDone: (notice: string) => void }) {
  const intl = useIntl();
  const problemText = useProblemText();
  const queryClient = useQueryClient();
  const { membership, shop } = useShop();
  const format = useShopFormat(shop);
  const canModerate = useCan(SERVICE);
  const [note, setNote] = useState('');
  const [reply, setReply] = useState(review.reply ?? '');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['reviews', membership.id] });
  const approve = useMutation({
    mutationFn: () => approveReview(review.id),
    onSuccess: async () => {
      onDone(intl.formatMessage({ id: 'feedback.reviews.approved' }));
      await refresh();
    },
  });
  const reject = useMutation({
    mutationFn: () => rejectReview(review.id, note),
    onSuccess: async () => {
      onDone(intl.formatMessage({ id: 'feedback.reviews.rejected' }));
      await refresh();
    },
  });
  const saveReply = useMutation({
    mutationFn: () => replyToReview(review.id, reply),
    onSuccess: async () => {
      onDone(intl.formatMessage({ id: 'feedback.reviews.replySaved' }));
      await refresh();
    },
  });
  const failure = approve.error ?? reject.error ?? saveReply.error;
  const heading =
    review.target === 'shop'
      ? intl.formatMessage({ id: 'feedback.reviews.shop' })
      : intl.formatMessage({ id: 'feedback.reviews.product' }, { id: review.productId });
  return (
    <Paper
      withBorder
      p="md"
      data-testid={`review-${review.id}`}
      component="article"
      aria-label={heading}
    >
      <Stack gap="xs">
        <Group gap="xs" wrap="wrap">
          <Text fw={700}>{heading}</Text>
          <Text c="yellow.9" aria-hidden="true">
            {'★'.repeat(review.rating)}
            {'☆'.repeat(5 - review.rating)}
          </Text>
          <VisuallyHidden>
            {intl.formatMessage({ id: 'feedback.reviews.rating' }, { rating: review.rating })}
          </VisuallyHidden>
          <Text size="sm" c="dimmed">
            {format.day(dayOf(review.createdAt, format.timezone))} ·{' '}
            <FormattedMessage id="feedback.reviews.by" />{' '}
          </Text>
          <Anchor
            size="sm"
            renderRoot={(props) => (
              <Link
                to="/customers/$customerId"
                params={{ customerId: review.customerId }}
                {...props}
              />
            )}
          >
            {review.customerId}
          </Anchor>
        </Group>
        {review.title && <Text fw={600}>{review.title}</Text>}
        {review.body && <Text style={{ whiteSpace: 'pre-wrap' }}>{review.body}</Text>}
        {review.photoUrl && <ReviewPhoto url={review.photoUrl} />}
        {review.moderationNote && (
          <Text size="sm" c="dimmed">
            <FormattedMessage
              id="feedback.reviews.note.shown"
              values={{ note: review.moderationNote }}
            />
          </Text>
        )}
        {review.status === 'approved' && <ReviewPoints customerId={review.customerId} />}
        {canModerate && (
          <Group align="flex-end" wrap="wrap">
            {review.status !== 'approved' && (
              <Button onClick={() => approve.mutate()} loading={approve.isPending}>
                <FormattedMessage id="feedback.reviews.approve" />
              </Button>
            )}
            {review.status !== 'rejected' && (
              <>
                <TextInput
                  label={intl.formatMessage({ id: 'feedback.reviews.note' })}
                  value={note}
                  onChange={(e) => setNote(e.currentTarget.value)}
                  maxLength={1000}
                  w={{ base: '100%', sm: 260 }}
                />
                <Button
                  variant="light"
                  color="red"
                  onClick={() => reject.mutate()}
                  loading={reject.isPending}
                >
                  <FormattedMessage id="feedback.reviews.reject" />
                </Button>
              </>
            )}
          </Group>
        )}
        {canModerate ? (
          <Group align="flex-end" wrap="wrap">
            <Textarea
              label={intl.formatMessage({ id: 'feedback.reviews.reply' })}
              value={reply}
              onChange={(e) => setReply(e.currentTarget.value)}
              maxLength={2000}
              autosize
              minRows={1}
              w={{ base: '100%', sm: 420 }}
            />
            <Button
              variant="default"
              onClick={() => saveReply.mutate()}
              loading={saveReply.isPending}
              disabled={reply === (review.reply ?? '')}
            >
              <FormattedMessage id="feedback.reviews.replySave" />
            </Button>
          </Group>
        ) : (
          review.reply && (
            <Text size="sm">
              <FormattedMessage id="feedback.reviews.reply" />: {review.reply}
            </Text>
          )
        )}
        {failure && (
          <Alert color="red" role="alert">
            {problemText(failure)}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

/** Lojal's own uploads are fetched with the session; a linked https photo is shown as it is. */
function ReviewPhoto({ url }: { url: string }) {
  const intl = useIntl();
  const { membership } = useShop();
  const own = url.startsWith(`${window.location.origin}/v1/reviews/`);
  const data = useQuery({
    queryKey: ['review-photo', membership.id, url],
    queryFn: () => photoDataUrl(new URL(url).pathname, membership.id),
    enabled: own,
    staleTime: Infinity,
  });
  const src = own ? data.data : url;
  if (!src) return null;
  return (
    <Paper withBorder p={4} w="fit-content">
      <Image
        src={src}
        alt={intl.formatMessage({ id: 'feedback.reviews.photo' })}
        maw={240}
        mah={240}
        w="auto"
        fit="contain"
        data-testid="review-photo"
      />
    </Paper>
  );
}

function ReviewPoints({ customerId }: { customerId: string }) {
  const { membership } = useShop();
  const points = useQuery({
    queryKey: ['review-points', membership.id, customerId],
    queryFn: () => reviewPoints(customerId),
  });
  if (points.data === undefined) return null;
  return (
    <Text size="sm" data-testid="review-points">
      {points.data > 0 ? (
        <FormattedMessage id="feedback.reviews.points" values={{ points: `+${points.data}` }} />
      ) : (
        <FormattedMessage id="feedback.reviews.pointsNone" />
      )}
    </Text>
  );
}
