import { AgentCard } from '@a2a-js/sdk';

/** What an agent card says about one agent or team. */
export type AgentCardSubject = { kind: 'agent' | 'team'; id: string; name: string; description: string; tools?: readonly string[] };

/**
 * An A2A v1.0 agent card (https://a2a-protocol.org/v1.0.0/specification/#5-agent-discovery-the-agent-card)
 * for one agent or team, served as JSON: one JSON-RPC interface at `url`, streaming declared, text in and out.
 */
export function buildAgentCard(subject: AgentCardSubject, options: { url: string; version: string }): unknown {
  const skill = {
    id: subject.id, name: subject.name, description: subject.description,
    tags: [subject.kind, ...(subject.tools ?? [])], examples: [], inputModes: ['text/plain'], outputModes: ['text/plain'], securityRequirements: [],
  };
  return AgentCard.toJSON({
    name: subject.name,
    description: subject.description,
    supportedInterfaces: [{ url: options.url, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' }],
    provider: undefined,
    version: options.version,
    capabilities: { streaming: true, pushNotifications: false, extensions: [], extendedAgentCard: false },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [skill],
    signatures: [],
  });
}
