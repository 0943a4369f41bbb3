import { describe, expect, it } from 'vitest';
import { isAllowedPushEndpoint } from '../../../src/server/notifications/push-hosts.ts';

describe('isAllowedPushEndpoint', () => {
  it('allows the browsers’ push services over https', () => {
    for (const e of [
      'https://fcm.googleapis.com/fcm/send/abc:APA91b',
      'https://android.googleapis.com/gcm/send/abc',
      'https://jmt17.google.com/fcm/send/abc',
      'https://updates.push.services.mozilla.com/wpush/v2/gAAAAA',
      'https://web.push.apple.com/QGxvbmc',
      'https://api.push.apple.com/3/device/x',
      'https://wns2-by3p.notify.windows.com/w/?token=BQYAAAB',
      'https://FCM.GoogleAPIs.com/fcm/send/x',
    ])
      expect(isAllowedPushEndpoint(e, []), e).toBe(true);
  });

  it('refuses everything else: other hosts, look-alikes, http, odd ports, credentials', () => {
    for (const e of [
      'https://evil.example/push',
      'https://fcm.googleapis.com.evil.example/x',
      'https://evilfcm.googleapis.com/x',
      'https://push.apple.com.evil.example/x',
      'https://notgoogle.com/x',
      'https://a.b.google.com/x',
      'http://fcm.googleapis.com/fcm/send/x',
      'https://fcm.googleapis.com:444/fcm/send/x',
      'https://user:pw@fcm.googleapis.com/fcm/send/x',
      'http://127.0.0.1:8080/push',
      'http://169.254.169.254/latest',
      'file:///etc/passwd',
      'not a url',
      '',
    ])
      expect(isAllowedPushEndpoint(e, []), e).toBe(false);
  });

  it('adds the hosts of WAYPOST_PUSH_HOSTS exactly, port included, http allowed only there', () => {
    const extra = ['127.0.0.1:4600', 'push.internal.example'];
    expect(isAllowedPushEndpoint('http://127.0.0.1:4600/push/a', extra)).toBe(true);
    expect(isAllowedPushEndpoint('http://127.0.0.1:4601/push/a', extra)).toBe(false);
    expect(isAllowedPushEndpoint('http://127.0.0.1/push/a', extra)).toBe(false);
    expect(isAllowedPushEndpoint('https://push.internal.example/p', extra)).toBe(true);
    expect(isAllowedPushEndpoint('ftp://push.internal.example/p', extra)).toBe(false);
  });
});
