/**
 * Compile-time check that the web app's hand-written request bodies (types.ts) are what the server's
 * OpenAPI document (generated from its pydantic models: api.d.ts, `make openapi`) accepts. A body
 * the server would refuse fails `tsc -b` here, so the two cannot drift apart unnoticed.
 */
import type { components } from './api';
import type {
  CreateInterviewRequest,
  CreateInvitationRequest,
  CreateWebhookRequest,
  InvitationSecret,
  LatencyReport,
  TokenRequest,
  WorkspaceSettingsPatch,
} from '../types';

type Schemas = components['schemas'];
type Accepts<Sent, Schema> = [Sent] extends [Schema] ? true : false;

/** Each entry is `true` only while the body the app sends matches the server's model. */
export const REQUEST_BODIES_MATCH_THE_SERVER: {
  createInterview: Accepts<CreateInterviewRequest, Schemas['CreateInterviewRequest']>;
  token: Accepts<TokenRequest, Schemas['TokenRequest']>;
  latency: Accepts<LatencyReport, Schemas['LatencyReport']>;
  createInvitation: Accepts<CreateInvitationRequest, Schemas['CreateInvitationRequest']>;
  invitationSecret: Accepts<InvitationSecret, Schemas['InvitationSecretRequest']>;
  settingsPatch: Accepts<WorkspaceSettingsPatch, Schemas['SettingsPatch']>;
  createWebhook: Accepts<CreateWebhookRequest, Schemas['CreateEndpointRequest']>;
} = {
  createInterview: true,
  token: true,
  latency: true,
  createInvitation: true,
  invitationSecret: true,
  settingsPatch: true,
  createWebhook: true,
};
