import { z } from 'zod';
import type { ClusterManifest } from '../generator/render/manifest.js';

/**
 * rmq-compose.json as the operations core reads it. Validated because the file sits in a folder
 * people edit by hand; extra keys are tolerated so a newer generator does not break older ops.
 */
const portName = z.enum(['amqp', 'management', 'mqtt', 'stomp', 'stream']);
const port = z.number().int().min(1).max(65535);

export const ManifestSchema = z.object({
  schemaVersion: z.literal(1),
  name: z.string().min(1),
  project: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
  rabbitmq: z.object({
    image: z.string(),
    version: z.string(),
    major: z.number().int(),
    minor: z.number().int(),
    formation: z.enum(['auto', 'manual']),
    mirroring: z.boolean(),
    plugins: z.array(z.string()),
    defaultUser: z.string().optional(),
    defaultUserVariable: z.string().optional(),
    defaultPassVariable: z.string(),
    erlangCookieVariable: z.string(),
  }),
  nodes: z
    .array(
      z.object({
        name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/),
        erlangNode: z.string().regex(/^[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+$/),
        type: z.enum(['disc', 'ram']),
        service: z.string().min(1),
        host: z.string().min(1),
        ports: z.partialRecord(portName, port),
        address: z.string().optional(),
      }),
    )
    .min(1),
  hosts: z
    .array(
      z.object({
        name: z.string().min(1),
        address: z.string().optional(),
        docker: z.string().optional(),
        composeFile: z.string().min(1),
        services: z.array(z.string()),
      }),
    )
    .min(1),
  loadBalancer: z
    .object({
      listeners: z.array(z.object({ protocol: z.string(), port })),
      virtualIp: z.string().optional(),
      instances: z.array(
        z.object({
          name: z.string(),
          host: z.string(),
          address: z.string().optional(),
          nginxService: z.string(),
          keepalivedService: z.string().optional(),
        }),
      ),
    })
    .optional(),
  policies: z.array(
    z.object({
      name: z.string(),
      pattern: z.string(),
      applyTo: z.string(),
      priority: z.number().int(),
      vhost: z.string(),
      definition: z.record(z.string(), z.unknown()),
    }),
  ),
  envFile: z.literal('.env'),
  generatedFiles: z.array(z.string()).default([]),
});

/**
 * Parse and return the generator's own type. The cast only bridges "optional key" vs "key that
 * may be undefined" (JSON drops undefined keys); the shapes are otherwise the same.
 */
export function parseManifest(raw: unknown): { ok: true; manifest: ClusterManifest } | { ok: false; problems: string[] } {
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`) };
  return { ok: true, manifest: parsed.data as ClusterManifest };
}
