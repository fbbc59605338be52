import { Button, CopyButton, Group, Code } from '@mantine/core';
import { useIntl } from 'react-intl';

/**
 * A value to copy (a URL, a secret shown once, a command): shown in full, selectable, with a
 * copy button. `label` names the value for screen readers ("Copy: the webhook URL").
 */
export function CopyField({
  value,
  label,
  testId,
  block = false,
}: {
  value: string;
  label: string;
  testId?: string;
  block?: boolean;
}) {
  const intl = useIntl();
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Code
        block={block}
        data-testid={testId}
        style={{
          wordBreak: 'break-all',
          whiteSpace: block ? 'pre-wrap' : undefined,
          flex: 1,
          minWidth: 0,
        }}
      >
        {value}
      </Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Button
            variant="default"
            size="xs"
            onClick={copy}
            aria-label={intl.formatMessage({ id: 'settings.copy.label' }, { what: label })}
            style={{ flexShrink: 0 }}
          >
            {intl.formatMessage({ id: copied ? 'settings.copy.done' : 'settings.copy.action' })}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
}
