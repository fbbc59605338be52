import { useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../api/client.ts';
import { useShopFormat } from '../../i18n/format.ts';
import { useShop } from '../../layout/shop-context.ts';
import { Empty, Failure, Forbidden, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { loadStaff, type StaffMember } from './stamps-data.ts';
import { PairingPanel, type Pairing } from './pairing-panel.tsx';

type Created = StaffMember & { token: string };

/** Staff devices: add one (its token shown once, with a copy button), list, revoke. */
export function StaffSection() {
  const intl = useIntl();
  const { membership, shop } = useShop();
  const fmt = useShopFormat(shop);
  const queryClient = useQueryClient();
  const problemText = useProblemText();
  const staff = useQuery({ queryKey: ['staff', membership.id], queryFn: loadStaff });
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffMember['role']>('staff');
  const [created, setCreated] = useState<Created | null>(null);
  const [revoking, setRevoking] = useState<StaffMember | null>(null);
  const [revoked, setRevoked] = useState<string | null>(null);
  const [pairing, setPairing] = useState<Pairing | null>(null);
  const add = useMutation({
    mutationFn: () => api<Created>('POST', '/v1/staff', { body: { name, role } }),
    onSuccess: async (member) => {
      setCreated(member);
      setName('');
      setRevoked(null);
      await queryClient.invalidateQueries({ queryKey: ['staff'] });
    },
  });
  const pair = useMutation({
    mutationFn: () => api<Pairing>('POST', '/v1/staff/pairings', { body: { name, role } }),
    onSuccess: (made) => {
      setPairing(made);
      setCreated(null);
      setName('');
      setRevoked(null);
    },
  });
  const revoke = useMutation({
    mutationFn: (member: StaffMember) => api('DELETE', `/v1/staff/${member.id}`),
    onSuccess: async (_, member) => {
      setRevoking(null);
      setRevoked(member.name);
      await queryClient.invalidateQueries({ queryKey: ['staff'] });
    },
  });
  const addError =
    (add.error ?? pair.error) instanceof ApiError ? ((add.error ?? pair.error) as ApiError) : null;
  const revokeError = revoke.error instanceof ApiError ? revoke.error : null;
  const active = staff.data?.filter((s) => !s.revokedAt).length ?? 0;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    pair.reset();
    add.mutate();
  };

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="staff-title">
      <Group justify="space-between" align="baseline">
        <Title order={2} size="h4" id="staff-title">
          <FormattedMessage id="stamps.staff.title" />
        </Title>
        {staff.data && (
          <Text size="sm" c="dimmed">
            <FormattedMessage id="stamps.staff.count" values={{ count: active }} />
          </Text>
        )}
      </Group>
      <Text size="sm" mb="sm">
        <FormattedMessage id="stamps.staff.intro" />
      </Text>
      {created && (
        <Alert
          color="teal"
          role="status"
          mb="sm"
          title={<FormattedMessage id="stamps.staff.tokenTitle" values={{ name: created.name }} />}
          data-testid="staff-token"
        >
          <Stack gap="xs">
            <Text size="sm">
              <FormattedMessage id="stamps.staff.tokenOnce" />
            </Text>
            <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
              {created.token}
            </Code>
            <Group>
              <CopyButton value={created.token}>
                {({ copied, copy }) => (
                  <Button size="xs" onClick={copy}>
                    <FormattedMessage id={copied ? 'stamps.staff.copied' : 'stamps.staff.copy'} />
                  </Button>
                )}
              </CopyButton>
              <Button size="xs" variant="default" onClick={() => setCreated(null)}>
                <FormattedMessage id="stamps.staff.done" />
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {pairing && <PairingPanel pairing={pairing} onDone={() => setPairing(null)} />}
      {revoked && (
        <Alert color="green" role="status" mb="sm">
          <FormattedMessage id="stamps.staff.revoked" values={{ name: revoked }} />
        </Alert>
      )}
      {staff.isPending ? (
        <Loading />
      ) : staff.error ? (
        <Failure error={staff.error} onRetry={() => void staff.refetch()} />
      ) : staff.data.length === 0 ? (
        <Empty>
          <FormattedMessage id="stamps.staff.empty" />
        </Empty>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped data-testid="staff-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">
                  <FormattedMessage id="stamps.staff.name" />
                </Table.Th>
                <Table.Th scope="col">
                  <FormattedMessage id="stamps.staff.role" />
                </Table.Th>
                <Table.Th scope="col">
                  <FormattedMessage id="stamps.staff.token" />
                </Table.Th>
                <Table.Th scope="col">
                  <FormattedMessage id="stamps.staff.added" />
                </Table.Th>
                <Table.Th scope="col">
                  <FormattedMessage id="stamps.staff.status" />
                </Table.Th>
                <Table.Th scope="col" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {staff.data.map((member) => (
                <Table.Tr key={member.id} data-staff={member.id}>
                  <Table.Th scope="row">{member.name}</Table.Th>
                  <Table.Td>
                    <FormattedMessage
                      id={
                        member.role === 'manager'
                          ? 'stamps.staff.roleShort.manager'
                          : 'stamps.staff.role.staff'
                      }
                    />
                  </Table.Td>
                  <Table.Td>
                    <Code>{member.hint}</Code>
                  </Table.Td>
                  <Table.Td>
                    <FormattedDate
                      value={member.createdAt}
                      dateStyle="medium"
                      timeZone={fmt.timezone}
                    />
                  </Table.Td>
                  <Table.Td>
                    {member.revokedAt ? (
                      <FormattedMessage
                        id="stamps.staff.revokedAt"
                        values={{
                          date: intl.formatDate(member.revokedAt, {
                            dateStyle: 'medium',
                            timeZone: fmt.timezone,
                          }),
                        }}
                      />
                    ) : (
                      <FormattedMessage id="stamps.staff.activeStatus" />
                    )}
                  </Table.Td>
                  <Table.Td>
                    {!member.revokedAt && (
                      <Button
                        size="xs"
                        color="red"
                        variant="light"
                        onClick={() => {
                          revoke.reset();
                          setRevoking(member);
                        }}
                        aria-label={intl.formatMessage(
                          { id: 'stamps.staff.revokeNamed' },
                          { name: member.name },
                        )}
                      >
                        <FormattedMessage id="stamps.staff.revoke" />
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <form onSubmit={submit} noValidate>
        <Title order={3} size="h5" mt="md" mb="xs">
          <FormattedMessage id="stamps.staff.add" />
        </Title>
        <Stack gap="sm">
          {addError?.status === 403 && <Forbidden />}
          {addError && addError.status !== 403 && addError.errors.length === 0 && (
            <Alert color="red" role="alert">
              {problemText(addError)}
            </Alert>
          )}
          <Group align="flex-start" grow wrap="wrap">
            <TextInput
              label={intl.formatMessage({ id: 'stamps.staff.name' })}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={addError?.fieldError('name')}
              miw={200}
            />
            <Select
              label={intl.formatMessage({ id: 'stamps.staff.role' })}
              data={(['staff', 'manager'] as const).map((r) => ({
                value: r,
                label: intl.formatMessage({ id: `stamps.staff.role.${r}` }),
              }))}
              value={role}
              onChange={(v) => v && setRole(v as StaffMember['role'])}
              allowDeselect={false}
              error={addError?.fieldError('role')}
              miw={200}
            />
          </Group>
          <Group>
            <Button
              loading={pair.isPending}
              onClick={() => {
                add.reset();
                pair.mutate();
              }}
            >
              <FormattedMessage id="stamps.pair.submit" />
            </Button>
            <Button type="submit" variant="default" loading={add.isPending}>
              <FormattedMessage id="stamps.staff.addSubmit" />
            </Button>
          </Group>
        </Stack>
      </form>
      <Modal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title={
          <FormattedMessage id="stamps.staff.revokeTitle" values={{ name: revoking?.name ?? '' }} />
        }
        centered
        // Its scroll lock writes a <style> without the page's CSP nonce, which is refused.
        lockScroll={false}
        closeButtonProps={{ 'aria-label': intl.formatMessage({ id: 'stamps.form.cancel' }) }}
      >
        <Stack gap="sm">
          <Text size="sm">
            <FormattedMessage id="stamps.staff.revokeText" />
          </Text>
          {revokeError?.status === 403 && <Forbidden />}
          {revokeError && revokeError.status !== 403 && (
            <Alert color="red" role="alert">
              {problemText(revokeError)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRevoking(null)}>
              <FormattedMessage id="stamps.form.cancel" />
            </Button>
            <Button
              color="red.9"
              loading={revoke.isPending}
              onClick={() => revoking && revoke.mutate(revoking)}
            >
              <FormattedMessage id="stamps.staff.revokeConfirm" />
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
