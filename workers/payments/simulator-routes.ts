import type { Handler } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { z } from 'zod';

import type { AppBindings, AppEnv } from '@/env';
import { formatCents } from '@contract/money';
import {
  answerSimulatedChallenge,
  confirmSimulatedIntent,
  deliverSimulatedEvent,
  findSimulatedIntent,
  simulatedEvent,
  type DeliverWebhook,
  type SimulatedEventType,
  type SimulatedIntent,
} from '@/payments/simulator';
import {
  answerSimulatedSetupChallenge,
  confirmSimulatedSetup,
  findSimulatedSetupIntent,
  simulatedSetupEvent,
  type SimulatedSetupEventType,
  type SimulatedSetupIntent,
} from '@/payments/simulator-vault';
import { webhookSettingsFromEnv } from '@/payments/webhooks';
import type { Db, MakeDbDeps } from '@/platform/db';
import { createRouter } from '@/platform/router';

/** The simulated provider's pages: the stand-in for the provider's hosted forms. */
const SIMULATOR_PAGE_PREFIX = '/pay/sim';

const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const DECLINE_MESSAGES: Record<string, string> = {
  card_declined: 'Your card was declined. Try another card.',
  insufficient_funds: 'Your card has insufficient funds. Try another card.',
  authentication_failed: 'The 3-D Secure authentication failed. Try again or use another card.',
};

const formSchema = z.object({
  client_secret: z.string().min(1).max(200),
  return_url: z.string().max(500).optional(),
  card_number: z.string().max(40).optional(),
  action: z.enum(['complete', 'fail']).optional(),
});

/** Only a path of this shop: never an open redirect. */
const safeReturnUrl = (value: string | undefined) => (value && /^\/(?!\/)[\x21-\x7e]*$/.test(value) ? value : '/');

function layout(title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title} · Simulated payment provider</title>
    <style>
      body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
      label, input, button { display: block; font-size: 1rem; margin: 0.5rem 0; }
      input { padding: 0.5rem; width: 100%; box-sizing: border-box; }
      button { padding: 0.6rem 1rem; background: #1d4ed8; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
      [role='alert'] { color: #991b1b; font-weight: 600; }
      small { color: #374151; }
    </style>
  </head>
  <body>
    <main>${body}</main>
  </body>
</html>`;
}

function paymentPage(intent: SimulatedIntent, form: { clientSecret: string; returnUrl: string }, message?: string) {
  const amount = `${formatCents(intent.amountCents)} ${intent.currency}`;
  const hidden = html`<input type="hidden" name="client_secret" value="${form.clientSecret}" /><input type="hidden" name="return_url" value="${form.returnUrl}" />`;
  const alert = message ? html`<p role="alert">${message}</p>` : '';
  if (intent.status === 'succeeded') {
    return layout('Payment succeeded', html`<h1>Payment succeeded</h1><p>${amount} was paid.</p><p><a href="${form.returnUrl}">Return to the shop</a></p>`);
  }
  if (intent.status === 'canceled') {
    return layout('Payment canceled', html`<h1>Payment canceled</h1><p><a href="${form.returnUrl}">Return to the shop</a></p>`);
  }
  if (intent.status === 'requires_action') {
    return layout(
      '3-D Secure',
      html`<h1>3-D Secure authentication</h1>
        <p>Your bank asks you to confirm the payment of ${amount}.</p>
        <form method="post" action="${SIMULATOR_PAGE_PREFIX}/${intent.id}/challenge">${hidden}<button name="action" value="complete">Complete authentication</button></form>
        <form method="post" action="${SIMULATOR_PAGE_PREFIX}/${intent.id}/challenge">${hidden}<button name="action" value="fail">Fail authentication</button></form>`,
    );
  }
  return layout(
    'Pay',
    html`<h1>Pay ${amount}</h1>
      ${alert}
      <form method="post" action="${SIMULATOR_PAGE_PREFIX}/${intent.id}/confirm">
        ${hidden}
        <label for="card_number">Card number</label>
        <input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" required />
        <button type="submit">Pay ${amount}</button>
      </form>
      <p><small>Test cards: 4242 4242 4242 4242 succeeds · 4000 0000 0000 0002 is declined · 4000 0000 0000 9995 has insufficient funds · 4000 0025 0000 3220 asks for 3-D Secure.</small></p>
      <p><a href="${form.returnUrl}">Back to the shop</a></p>`,
  );
}

type Authorizable = { id: string; clientSecret: string; lastError: string | null };

/** One kind of the simulator's intents (payment or setup) as its pages see it. */
interface PageKind<I extends Authorizable, E extends string> {
  prefix: string;
  find(db: Db, id: string): Promise<I | undefined>;
  page(intent: I, form: { clientSecret: string; returnUrl: string }, message?: string): ReturnType<typeof layout>;
  event(intent: I, type: E): { id: string; object: 'event'; type: string };
}

/** The intent when the simulated provider is the configured one and the client secret matches; else undefined (→ 404). */
async function authorizedIntent<I extends Authorizable>(env: AppEnv, makeDeps: MakeDbDeps, kind: PageKind<I, string>, intentId: string, clientSecret: string | undefined): Promise<I | undefined> {
  if (!webhookSettingsFromEnv(env, 'simulated') || !clientSecret) return undefined;
  const intent = await kind.find(makeDeps(env).db, intentId.slice(0, 64));
  return intent && intent.clientSecret === clientSecret ? intent : undefined;
}

const notFoundPage = () => layout('Not found', html`<h1>Payment not found</h1>`);

function setupPage(intent: SimulatedSetupIntent, form: { clientSecret: string; returnUrl: string }, message?: string) {
  const hidden = html`<input type="hidden" name="client_secret" value="${form.clientSecret}" /><input type="hidden" name="return_url" value="${form.returnUrl}" />`;
  const action = `${SIMULATOR_PAGE_PREFIX}/setup/${intent.id}`;
  if (intent.status === 'succeeded') return layout('Card saved', html`<h1>Card saved</h1><p>Your card can now pay for orders.</p><p><a href="${form.returnUrl}">Return to the shop</a></p>`);
  if (intent.status === 'requires_action') {
    return layout(
      '3-D Secure',
      html`<h1>3-D Secure authentication</h1>
        <p>Your bank asks you to confirm saving this card.</p>
        <form method="post" action="${action}/challenge">${hidden}<button name="action" value="complete">Complete authentication</button></form>
        <form method="post" action="${action}/challenge">${hidden}<button name="action" value="fail">Fail authentication</button></form>`,
    );
  }
  return layout(
    'Save a card',
    html`<h1>Save a card</h1>
      ${message ? html`<p role="alert">${message}</p>` : ''}
      <form method="post" action="${action}/confirm">
        ${hidden}
        <label for="card_number">Card number</label>
        <input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" required />
        <button type="submit">Save card</button>
      </form>
      <p><small>Test cards: 4242 4242 4242 4242 pays · 4000 0000 0000 0002 is declined · 4000 0000 0000 9995 saves, then has insufficient funds · 4000 0025 0000 3220 asks for 3-D Secure (now and on every payment).</small></p>
      <p><a href="${form.returnUrl}">Back to the shop</a></p>`,
  );
}

const PAYMENT_KIND: PageKind<SimulatedIntent, SimulatedEventType> = { prefix: SIMULATOR_PAGE_PREFIX, find: findSimulatedIntent, page: paymentPage, event: simulatedEvent };
const SETUP_KIND: PageKind<SimulatedSetupIntent, SimulatedSetupEventType> = { prefix: `${SIMULATOR_PAGE_PREFIX}/setup`, find: findSimulatedSetupIntent, page: setupPage, event: simulatedSetupEvent };

type FormInput = z.infer<typeof formSchema>;
type StepResult<I, E> = { intent: I; event: E | null } | { error: 'unknown_card' | 'not_confirmable' };

/** What the simulator's pages need: the database (its intents) and the shop to deliver its signed webhooks to. */
export interface SimulatorDeps {
  makeDeps: MakeDbDeps;
  dispatch: (request: Request, env: AppEnv) => Response | Promise<Response>;
}

/**
 * The pages of one intent kind: its page and its two form posts. A state change is reported to the shop as a signed
 * webhook, delivered with `dispatch` before the page answers (so the page, and the buyer's next look at the order or
 * their cards, see the outcome).
 */
function mountKind<I extends Authorizable, E extends string>(
  router: ReturnType<typeof createRouter>,
  kind: PageKind<I, E>,
  steps: { confirm: (db: Db, intent: I, form: FormInput) => Promise<StepResult<I, E>>; challenge: (db: Db, intent: I, form: FormInput) => Promise<StepResult<I, E>> },
  { makeDeps, dispatch }: SimulatorDeps,
) {
  router.get(`${kind.prefix}/:intentId`, async (c) => {
    const intent = await authorizedIntent(c.env, makeDeps, kind, c.req.param('intentId'), c.req.query('client_secret'));
    if (!intent) return c.html(notFoundPage(), 404);
    return c.html(kind.page(intent, { clientSecret: intent.clientSecret, returnUrl: safeReturnUrl(c.req.query('return_url')) }));
  });

  const act = (step: (db: Db, intent: I, form: FormInput) => Promise<StepResult<I, E>>): Handler<AppBindings> => async (c) => {
    const parsed = formSchema.safeParse(await c.req.parseBody().catch(() => ({})));
    const intent = parsed.success ? await authorizedIntent(c.env, makeDeps, kind, c.req.param('intentId') ?? '', parsed.data.client_secret) : undefined;
    if (!parsed.success || !intent) return c.html(notFoundPage(), 404);
    const form = { clientSecret: intent.clientSecret, returnUrl: safeReturnUrl(parsed.data.return_url) };
    const result = await step(makeDeps(c.env).db, intent, parsed.data);
    if ('error' in result) {
      const message = result.error === 'unknown_card' ? 'That is not one of the test card numbers listed below.' : 'This payment cannot be confirmed any more.';
      return c.html(kind.page(intent, form, message), result.error === 'unknown_card' ? 400 : 409);
    }
    if (result.event) {
      const deliver: DeliverWebhook = async (request) => dispatch(request, c.env);
      const status = await deliverSimulatedEvent(deliver, c.env.SIMULATED_WEBHOOK_SECRET ?? '', new URL(c.req.url).origin, kind.event(result.intent, result.event));
      if (status >= 300) c.get('logger').warn('the shop refused a simulated webhook', { intentId: intent.id, status });
    }
    return c.html(kind.page(result.intent, form, result.intent.lastError ? DECLINE_MESSAGES[result.intent.lastError] : undefined));
  };

  router.post(`${kind.prefix}/:intentId/confirm`, act(steps.confirm));
  router.post(`${kind.prefix}/:intentId/challenge`, act(steps.challenge));
}

/** The simulated provider's payment page (`/pay/sim/{intent}`) and setup page (`/pay/sim/setup/{setup intent}`). */
export function createSimulatorRouter(deps: SimulatorDeps) {
  const router = createRouter();
  router.use(`${SIMULATOR_PAGE_PREFIX}/*`, async (c, next) => {
    await next();
    c.header('Content-Security-Policy', PAGE_CSP);
    c.header('Cache-Control', 'no-store');
  });
  // The setup pages first: `/pay/sim/setup/{id}` must not be read as a payment's `/pay/sim/{id}/confirm`.
  mountKind(router, SETUP_KIND, { confirm: (db, intent, form) => confirmSimulatedSetup(db, intent, form.card_number ?? ''), challenge: (db, intent, form) => answerSimulatedSetupChallenge(db, intent, form.action === 'complete') }, deps);
  mountKind(router, PAYMENT_KIND, { confirm: (db, intent, form) => confirmSimulatedIntent(db, intent, form.card_number ?? ''), challenge: (db, intent, form) => answerSimulatedChallenge(db, intent, form.action === 'complete') }, deps);
  return router;
}
