import { describe, expect, it } from 'vitest';

import { addressKey } from '@/platform/client-address';

describe('addressKey', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('unknown')).toBe('unknown');
  });

  it('keys every address of one IPv6 /64 alike, whatever the spelling', () => {
    const keys = ['2001:db8:1:2::1', '2001:DB8:1:2:ffff:ffff:ffff:ffff', '2001:0db8:0001:0002:0:0:0:9', '[2001:db8:1:2::abcd]', '2001:db8:1:2::5%eth0'].map(addressKey);
    expect(new Set(keys)).toEqual(new Set(['2001:db8:1:2::/64']));
  });

  it('tells neighbouring /64 networks apart', () => {
    expect(addressKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1')).toBe('fe80:0:0:0::/64');
  });

  it('keys an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:cb00:7107')).toBe('203.0.113.7');
  });

  it('uses anything that does not parse as given', () => {
    for (const junk of ['2001:db8::1::2', '2001:db8:zz::1', '1:2:3:4:5:6:7:8:9', '::ffff:300.1.1.1']) expect(addressKey(junk)).toBe(junk);
  });
});
