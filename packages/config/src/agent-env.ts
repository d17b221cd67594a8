import { z } from 'zod';

const seconds = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

/**
 * The agent's environment (apps/agent), parsed once at start. In a cluster the install manifest sets
 * FLOTILLA_AGENT_SECRET and FLOTILLA_AGENT_NAMESPACE (the Secret holds Flotilla's URL and the
 * registration token, then the credential); for development and tests, FLOTILLA_URL,
 * FLOTILLA_AGENT_TOKEN, FLOTILLA_AGENT_CREDENTIAL_FILE and KUBECONFIG do the same.
 */
export const agentEnvSchema = z
  .object({
    FLOTILLA_URL: z.url().optional(),
    FLOTILLA_AGENT_TOKEN: z.string().min(1).optional(),
    FLOTILLA_AGENT_CREDENTIAL_FILE: z.string().min(1).optional(),
    FLOTILLA_AGENT_SECRET: z.string().min(1).max(253).optional(),
    FLOTILLA_AGENT_NAMESPACE: z.string().min(1).max(63).optional(),
    KUBECONFIG: z.string().min(1).optional(),
    FLOTILLA_AGENT_HEARTBEAT_SECONDS: seconds(30, 3600),
    /** How long one desired-state request waits for a change (long-poll). */
    FLOTILLA_AGENT_POLL_WAIT_SECONDS: seconds(30, 50),
    /** How often health and drift are looked at again without any change from Flotilla. */
    FLOTILLA_AGENT_RESYNC_SECONDS: seconds(30, 3600),
    /** How often the agent trades its credential for a new one (the old one ends an hour later). */
    FLOTILLA_AGENT_ROTATE_SECONDS: seconds(86_400, 30 * 86_400),
    FLOTILLA_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
    FLOTILLA_LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
    /** Set by Kubernetes in every Pod: where the agent's own API server is. */
    KUBERNETES_SERVICE_HOST: z.string().min(1).optional(),
    KUBERNETES_SERVICE_PORT: z.string().regex(/^\d+$/).default('443'),
  })
  .superRefine((env, ctx) => {
    if (!env.FLOTILLA_AGENT_SECRET && !env.FLOTILLA_AGENT_CREDENTIAL_FILE)
      ctx.addIssue({
        code: 'custom',
        path: ['FLOTILLA_AGENT_SECRET'],
        message: 'set FLOTILLA_AGENT_SECRET (in a cluster) or FLOTILLA_AGENT_CREDENTIAL_FILE',
      });
    if (env.FLOTILLA_AGENT_SECRET && !env.FLOTILLA_AGENT_NAMESPACE)
      ctx.addIssue({
        code: 'custom',
        path: ['FLOTILLA_AGENT_NAMESPACE'],
        message: 'is required with FLOTILLA_AGENT_SECRET',
      });
  });

export type AgentEnv = z.infer<typeof agentEnvSchema>;
export type AgentConfig = AgentEnv;

export function loadAgentConfig(env: NodeJS.ProcessEnv = process.env): AgentEnv {
  const parsed = agentEnvSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    .join('; ');
  throw new Error(`agent configuration is invalid: ${problems}`);
}
