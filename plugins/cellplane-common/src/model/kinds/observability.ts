import { z } from 'zod';
import { kubernetesName, nonEmptyString, port, resourceOf, secretKeyRef } from './shared';

/**
 * Where an environment's alerts are sent (OpenChoreo's
 * observabilityalertsnotificationchannel_types.go): by email or to a webhook. One channel of an
 * environment is its default, the one alert rules use when they name none.
 */

// The pattern OpenChoreo's CRD gives every address of an email channel.
const EMAIL_ADDRESS =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/;

const emailAddress = () => z.string().regex(EMAIL_ADDRESS, 'must be an email address, e.g. alerts@example.com');

/** A value read from a Kubernetes Secret of the observability plane, never written inline. */
const secretValue = () => z.strictObject({ secretKeyRef: secretKeyRef().optional() });

const emailConfig = () =>
  z.strictObject({
    from: emailAddress(),
    to: z.array(emailAddress()).min(1, 'must list at least one recipient'),
    smtp: z.strictObject({
      host: nonEmptyString(),
      port: port(),
      auth: z.strictObject({ username: secretValue(), password: secretValue() }),
      tls: z.strictObject({ insecureSkipVerify: z.boolean().optional() }),
    }),
    template: z.strictObject({ subject: nonEmptyString(), body: nonEmptyString() }),
  });

const webhookHeader = () =>
  z
    .strictObject({ value: z.string().optional(), valueFrom: secretValue().optional() })
    .refine(header => (header.value === undefined) !== (header.valueFrom === undefined), {
      message: 'exactly one of value or valueFrom must be set',
    });

const webhookConfig = () =>
  z.strictObject({
    // `format: uri` on the CRD: an absolute URL.
    url: z.string().refine(url => URL.canParse(url), 'must be an absolute URL, e.g. https://hooks.example.com/alerts'),
    headers: z.record(nonEmptyString(), webhookHeader()).optional(),
    payloadTemplate: z.string().optional(),
  });

/** @public */
export const NOTIFICATION_CHANNEL_TYPES = ['email', 'webhook'] as const;

/** The schema of an ObservabilityAlertsNotificationChannel document. @public */
export const observabilityAlertsNotificationChannelSchema = resourceOf(
  'ObservabilityAlertsNotificationChannel',
  z
    .strictObject({
      environment: kubernetesName(),
      isEnvDefault: z.boolean().optional(),
      type: z.enum(NOTIFICATION_CHANNEL_TYPES),
      emailConfig: emailConfig().optional(),
      webhookConfig: webhookConfig().optional(),
    })
    .superRefine((spec, ctx) => {
      // The CRD's rules: the configuration of the channel's type must be there.
      if (spec.type === 'email' && !spec.emailConfig) {
        ctx.addIssue({ code: 'custom', path: ['emailConfig'], message: 'is required when type is email' });
      }
      if (spec.type === 'webhook' && !spec.webhookConfig) {
        ctx.addIssue({ code: 'custom', path: ['webhookConfig'], message: 'is required when type is webhook' });
      }
    }),
  'dns-subdomain',
);
