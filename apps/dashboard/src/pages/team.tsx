import { useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../api/client.ts';
import type { Member, Role } from '../api/types.ts';
import { useShop } from '../layout/shop-context.ts';
import { Empty, Failure, Forbidden, Loading } from '../ui/states.tsx';
import { useProblemText } from './problem-text.tsx';

const ROLES: Role[] = ['admin', 'marketer', 'support', 'analyst'];

/** The shop's team, and an invitation form (owners and admins; others are refused by the API). */
export function TeamPage() {
  const { membership } = useShop();
  const members = useQuery({
    queryKey: ['team', membership.id],
    queryFn: () => api<{ data: Member[] }>('GET', '/v1/team/members'),
  });
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        <FormattedMessage id="team.title" />
      </Title>
      <section aria-labelledby="members-title">
        <Group justify="space-between">
          <Title order={2} size="h4" id="members-title">
            <FormattedMessage id="team.members" />
          </Title>
          {members.data && (
            <Text size="sm" c="dimmed">
              <FormattedMessage id="team.count" values={{ count: members.data.data.length }} />
            </Text>
          )}
        </Group>
        {members.isPending ? (
          <Loading />
        ) : members.error ? (
          <Failure error={members.error} onRetry={() => void members.refetch()} />
        ) : members.data.data.length === 0 ? (
          <Empty>—</Empty>
        ) : (
          <Table.ScrollContainer minWidth={420}>
            <Table striped mt="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">
                    <FormattedMessage id="team.name" />
                  </Table.Th>
                  <Table.Th scope="col">
                    <FormattedMessage id="team.email" />
                  </Table.Th>
                  <Table.Th scope="col">
                    <FormattedMessage id="team.role" />
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {members.data.data.map((m) => (
                  <Table.Tr key={m.userId}>
                    <Table.Td>{m.name}</Table.Td>
                    <Table.Td>{m.email}</Table.Td>
                    <Table.Td>
                      <FormattedMessage id={`role.${m.role}`} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </section>
      <InviteForm />
    </Stack>
  );
}

function InviteForm() {
  const intl = useIntl();
  const queryClient = useQueryClient();
  const problemText = useProblemText();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('marketer');
  const invite = useMutation({
    mutationFn: (to: string) => api('POST', '/v1/team/invitations', { body: { email: to, role } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['team'] }),
  });
  const error = invite.error instanceof ApiError ? invite.error : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate(email);
  };
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="invite-title">
      <Title order={2} size="h4" id="invite-title" mb="sm">
        <FormattedMessage id="team.invite" />
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {error?.status === 403 && <Forbidden />}
          {error && error.status !== 403 && error.errors.length === 0 && (
            <Alert color="red" role="alert">
              {problemText(error)}
            </Alert>
          )}
          {invite.isSuccess && (
            <Alert color="green" role="status">
              <FormattedMessage id="team.invited" values={{ email: invite.variables }} />
            </Alert>
          )}
          <Group align="flex-start" grow wrap="wrap">
            <TextInput
              label={intl.formatMessage({ id: 'team.inviteEmail' })}
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={
                error?.fieldError('email') ? intl.formatMessage({ id: 'field.email' }) : undefined
              }
              miw={220}
            />
            <Select
              label={intl.formatMessage({ id: 'team.inviteRole' })}
              data={ROLES.map((r) => ({
                value: r,
                label: intl.formatMessage({ id: `role.${r}` }),
              }))}
              value={role}
              onChange={(v) => v && setRole(v as Role)}
              allowDeselect={false}
              error={error?.fieldError('role')}
              miw={180}
            />
          </Group>
          <Group>
            <Button type="submit" loading={invite.isPending}>
              <FormattedMessage id="team.inviteSubmit" />
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
