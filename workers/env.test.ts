import { describe, expect, it } from 'vitest';

import { ConfigurationError, getConfig, paymentSettingsProblem, type AppEnv } from '@/env';

describe('payment settings (production fails closed)', () => {
  it('refuses the simulated provider in production unless ALLOW_SIMULATED_PAYMENTS=true, naming the way out', () => {
    for (const mode of ['success', 'decline', 'random(0.9)', undefined]) {
      expect(paymentSettingsProblem('production', { PAYMENT_GATEWAY_MODE: mode })).toMatch(/refuses the simulated payment provider.*ALLOW_SIMULATED_PAYMENTS=true/);
    }
    expect(paymentSettingsProblem('production', { PAYMENT_GATEWAY_MODE: 'success', ALLOW_SIMULATED_PAYMENTS: 'yes' })).toMatch(/refuses/);
    expect(paymentSettingsProblem('production', { PAYMENT_GATEWAY_MODE: 'success', ALLOW_SIMULATED_PAYMENTS: 'true' })).toMatch(/SIMULATED_WEBHOOK_SECRET/);
    expect(paymentSettingsProblem('production', { PAYMENT_GATEWAY_MODE: 'success', ALLOW_SIMULATED_PAYMENTS: 'true', SIMULATED_WEBHOOK_SECRET: 's' })).toBeNull();
  });

  it('accepts the simulated provider outside production', () => {
    expect(paymentSettingsProblem('development', { PAYMENT_GATEWAY_MODE: 'success' })).toBeNull();
    expect(paymentSettingsProblem('test', {})).toBeNull();
  });

  it('needs both provider secrets for the real provider, in every environment', () => {
    expect(paymentSettingsProblem('production', { PAYMENT_GATEWAY_MODE: 'stripe' })).toBe('PAYMENT_GATEWAY_MODE=stripe needs the STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET secrets');
    expect(paymentSettingsProblem('development', { PAYMENT_GATEWAY_MODE: 'stripe', STRIPE_SECRET_KEY: 'sk' })).toBe('PAYMENT_GATEWAY_MODE=stripe needs the STRIPE_WEBHOOK_SECRET secret');
    expect(paymentSettingsProblem('production', { PAYMENT_GATEWAY_MODE: 'stripe', STRIPE_SECRET_KEY: 'sk', STRIPE_WEBHOOK_SECRET: 'whsec' })).toBe(
      'PAYMENT_GATEWAY_MODE=stripe in production needs the STRIPE_PUBLISHABLE_KEY var (the card form at checkout)',
    );
    expect(paymentSettingsProblem('development', { PAYMENT_GATEWAY_MODE: 'stripe', STRIPE_SECRET_KEY: 'sk', STRIPE_WEBHOOK_SECRET: 'whsec' })).toBeNull();
    expect(paymentSettingsProblem('production', { PAYMENT_GATEWAY_MODE: 'stripe', STRIPE_SECRET_KEY: 'sk', STRIPE_WEBHOOK_SECRET: 'whsec', STRIPE_PUBLISHABLE_KEY: 'pk_live_x' })).toBeNull();
  });

  it('getConfig throws a ConfigurationError for refused settings and for an invalid var', () => {
    expect(() => getConfig({ APP_ENV: 'production', PAYMENT_GATEWAY_MODE: 'success' } as unknown as AppEnv)).toThrow(ConfigurationError);
    expect(() => getConfig({ APP_ENV: 'staging' } as unknown as AppEnv)).toThrow(/invalid settings: APP_ENV/);
    expect(getConfig({ APP_ENV: 'test', PAYMENT_GATEWAY_MODE: 'success' } as unknown as AppEnv).APP_ENV).toBe('test');
  });
});
