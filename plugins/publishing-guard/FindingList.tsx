import {Badge, Box, Card, Flex, Stack, Text} from '@sanity/ui'
import type {Finding} from '../../rules'
import {findingTitle, sortFindings} from './findings'

/** A finding's message and, when it has one, the hint that says how to fix it. */
export function FindingText({finding}: {finding: Finding}) {
  return (
    <>
      <Text size={1}>{finding.message}</Text>
      {finding.hint ? (
        <Text size={1} muted>
          {finding.hint}
        </Text>
      ) : null}
    </>
  )
}

/** The findings with their hints, as the publish dialog and the checklist show them. */
export function FindingList({findings}: {findings: readonly Finding[]}) {
  return (
    <Stack gap={3} as="ul" data-testid="guard-finding-list">
      {sortFindings(findings).map((finding, index) => (
        <Card
          key={`${finding.code}-${index}`}
          as="li"
          padding={3}
          radius={2}
          tone={finding.level === 'error' ? 'critical' : 'caution'}
          border
        >
          <Stack gap={3}>
            <Flex gap={2} align="center">
              <Badge tone={finding.level === 'error' ? 'critical' : 'caution'}>
                {finding.level === 'error' ? 'Error' : 'Warning'}
              </Badge>
              <Text size={1} weight="semibold">
                {findingTitle(finding.code)}
              </Text>
              <Box flex={1} />
              <Text size={0} muted>
                {finding.field}
              </Text>
            </Flex>
            <FindingText finding={finding} />
          </Stack>
        </Card>
      ))}
    </Stack>
  )
}
