import type { ConnectorKind } from './define.ts';
import { httpConnector } from './http/index.ts';

// One entry per folder under connectors/. DingTalk, WeCom, Feishu and ERP kinds are added here the same way.
const kinds = new Map<string, ConnectorKind>([[httpConnector.kind, httpConnector as ConnectorKind]]);

export function findConnectorKind(kind: string): ConnectorKind | undefined {
  return kinds.get(kind);
}

export function listConnectorKinds(): ConnectorKind[] {
  return [...kinds.values()];
}
