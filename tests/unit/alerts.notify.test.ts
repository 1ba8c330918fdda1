// Notice building and each channel's payload, pure: the formats the IM robots
// document, the DingTalk and Feishu signatures, e-mail, quiet hours and
// backoff, and that nothing personal beyond a masked name gets in.
import * as crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dingtalkBody, dingtalkSign, dingtalkUrl } from '../../backend/src/alerts/notify/dingtalk';
import { feishuBody, feishuSign } from '../../backend/src/alerts/notify/feishu';
import { robotAccepted } from '../../backend/src/alerts/notify/http';
import {
  digestNotice, dispatchNotice, escalationNotice, maskTarget, noticeMarkdown, noticeText, openedNotice, recipientAt, type NoticeAlert,
} from '../../backend/src/alerts/notify/notice';
import { backoffMs, isQuiet, loadNotifySettings, parseQuietHours } from '../../backend/src/alerts/notify/notify.settings';
import { emailMessage, parseSmtpUrl } from '../../backend/src/alerts/notify/smtp';
import { webhookBody, webhookSignature } from '../../backend/src/alerts/notify/webhook';
import { wecomBody } from '../../backend/src/alerts/notify/wecom';
import { parseShanghai } from '../../backend/src/alerts/alerts.rules';

const URL_ = 'http://campaign.example';
const item = (county: string, name: string, extra: Partial<NoticeAlert> = {}): NoticeAlert => ({
  rule: 'help_request_overdue', county_code: county, unit_code: `${county.slice(0, 4)}00`, owner_code: county, severity: 'high', title: '求助超过24小时未联系',
  name_masked: name, ...extra,
});

describe('notices', () => {
  it('groups person-level alerts into one notice with counts, masked names and a link', () => {
    const items = ['张*丰', '李*明', '王*', '赵*四', '钱*五', '孙*六'].map((n) => item('220102', n));
    const n = openedNotice('220102', 'help_request_overdue', items, 9, URL_);
    expect(n).toMatchObject({ kind: 'alerts', regionCode: '220102', regionName: '南关区', rule: 'help_request_overdue', severity: 'high', count: 6 });
    expect(n.title).toBe('【高】南关区·求助超时未联系：新增 6 条');
    expect(n.lines[0]).toBe('本次新增 6 条，当前未处理共 9 条');
    expect(n.lines[1]).toBe('涉及求助人：张*丰、李*明、王*、赵*四、钱*五 等 6 人');
    expect(n.link).toBe('http://campaign.example/alerts?rule=help_request_overdue&region=220102');
  });

  it('region-level alerts list their titles; escalations show where they come from', () => {
    const a = item('', '', { rule: 'recruitment_missed', owner_code: '220100', unit_code: '220100', title: '长春市2022-W28 周未举办专业性招聘活动', severity: 'medium' });
    expect(openedNotice('220100', 'recruitment_missed', [a], 1, URL_).lines).toContain('长春市2022-W28 周未举办专业性招聘活动');
    const e = escalationNotice('220100', 'unit', 'help_request_overdue', [item('220102', '张*丰'), item('220102', '李*明'), item('220103', '王*')], URL_);
    expect(e.title).toBe('【升级·市级】长春市·求助超时未联系：3 条逾期未处理');
    expect(e.lines).toContain('分布：南关区 2 条、宽城区 1 条');
    expect(e.link).toContain('level=unit');
  });

  it('the recipient at each level', () => {
    const a = item('220102', 'x');
    expect(recipientAt(a, 'county')).toBe('220102');
    expect(recipientAt(a, 'unit')).toBe('220100');
    expect(recipientAt(a, 'province')).toBe('220000');
    expect(recipientAt({ county_code: '', unit_code: '', owner_code: '220000' }, 'province')).toBe('220000');
  });

  it('digest and dispatch notices; an order’s typed text never leaves the app', () => {
    const d = digestNotice({ recipient: '220100', day: '2022-07-20', bySeverity: { high: 3, medium: 2 }, byRule: { help_request_overdue: 3, not_contacted: 2 }, new24h: 1, atThisLevel: 2, overdueOrders: 1 }, URL_);
    expect(d.title).toBe('【每日预警汇总】长春市 2022-07-20');
    expect(d.lines[0]).toBe('未处理预警 5 条（高 3 · 中 2）');
    expect(d.lines).toContain('逾期未办结督办 1 件');
    const o = dispatchNotice('220102', {
      orderId: 'D20220712-abcdef', event: 'created', countyCode: '220102', issuerRegion: '220000', dueDate: '2022-07-20', status: 'issued', subject: '求助超时未联系',
    }, URL_);
    expect(o.title).toBe('【督办】南关区：求助超时未联系');
    expect(o.lines).toEqual(['督办编号：D20220712-abcdef', '下达单位：吉林省', '办结时限：2022-07-20', '请在预警中心“督办”中查看要求并回复办理情况。']);
    expect(o.link).toBe('http://campaign.example/alerts?tab=dispatch&order=D20220712-abcdef');
    const late = dispatchNotice('220100', { orderId: 'D20220712-abcdef', event: 'overdue', countyCode: '220102', issuerRegion: '220000', dueDate: '2022-07-20', status: 'in_progress', subject: '', level: 'unit' }, URL_);
    expect(late.title).toBe('【督办逾期·市级】南关区：督办事项');
    expect(late.lines[1]).toBe('办结时限 2022-07-20 已过，当前状态：办理中');
  });

  it('markdown and text renderings stay under the robots’ size limits', () => {
    const many = Array.from({ length: 400 }, (_, i) => item('220102', `名*${i}`, { rule: 'recruitment_missed', title: `一条很长的标题 ${'长'.repeat(40)} ${i}` }));
    const n = openedNotice('220102', 'recruitment_missed', many, 400, URL_);
    n.lines = many.map((m) => m.title);
    expect(Buffer.byteLength(noticeMarkdown(n, 4000))).toBeLessThanOrEqual(4000);
    expect(noticeMarkdown(n, 4000)).toMatch(/\[在预警中心查看\]\(http:\/\/campaign\.example/);
    expect(Buffer.byteLength(noticeText(n, 3000))).toBeLessThanOrEqual(3000);
  });
});

describe('channel payloads', () => {
  const n = openedNotice('220102', 'help_request_overdue', [item('220102', '张*丰')], 1, URL_);

  it('WeCom: {"msgtype":"markdown","markdown":{"content":…}}', () => {
    const b = wecomBody(n);
    expect(Object.keys(b)).toEqual(['msgtype', 'markdown']);
    expect(b.msgtype).toBe('markdown');
    expect(b.markdown.content).toContain('### 【高】南关区·求助超时未联系：新增 1 条');
    expect(b.markdown.content).toContain('张*丰');
  });

  it('DingTalk: markdown with title and text; sign = base64(HMAC-SHA256(secret, "timestamp\\nsecret")), URL-encoded', () => {
    // Vector computed independently with Python's hmac/base64/urllib.parse.quote_plus.
    expect(dingtalkSign('SEC0123456789abcdef', 1657468799000)).toBe('ZUWjbCVnlIIQHyd+r9U2Pcd5QQp6YK+G4gbCQ7OirdU=');
    expect(dingtalkUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', 'SEC0123456789abcdef', 1657468799000)).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1657468799000&sign=ZUWjbCVnlIIQHyd%2Br9U2Pcd5QQp6YK%2BG4gbCQ7OirdU%3D',
    );
    expect(dingtalkUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', '', 1)).toBe('https://oapi.dingtalk.com/robot/send?access_token=abc');
    const b = dingtalkBody(n);
    expect(b.msgtype).toBe('markdown');
    expect(b.markdown.title).toBe(n.title);
    expect(b.markdown.text).toContain('张*丰');
  });

  it('Feishu: {"msg_type":"text","content":{"text":…}}, with timestamp (s) and sign when a secret is set', () => {
    // Vector computed independently with Python: HMAC keyed with "timestamp\nsecret" over b"".
    expect(feishuSign('SEC0123456789abcdef', 1657468799)).toBe('PgUfndC9c5A788ZGrmil8HLDxnGqC6Ctb0jQwAQXE2w=');
    expect(feishuBody(n)).toEqual({ msg_type: 'text', content: { text: noticeText(n, 15_000) } });
    expect(feishuBody(n, 'SEC0123456789abcdef', 1657468799)).toMatchObject({ timestamp: '1657468799', sign: 'PgUfndC9c5A788ZGrmil8HLDxnGqC6Ctb0jQwAQXE2w=' });
  });

  it('generic webhook: the notice as data, signed with HMAC-SHA256 when a secret is set', () => {
    const b = webhookBody(n, Date.parse('2022-07-10T15:59:59Z'));
    expect(b).toMatchObject({ event: 'alerts', region: '220102', regionName: '南关区', rule: 'help_request_overdue', count: 1, sentAt: '2022-07-10T15:59:59.000Z' });
    const body = JSON.stringify(b);
    expect(webhookSignature('s3cret', body)).toBe(`sha256=${crypto.createHmac('sha256', 's3cret').update(body).digest('hex')}`);
  });

  it('e-mail: UTF-8 subject in an encoded word, base64 text body, CRLF', () => {
    const m = emailMessage('alerts@hrss.jl.gov.cn', ['a@example.com', 'b@example.com'], n.title, noticeText(n), Date.parse('2022-07-10T15:59:59Z'), 'abc');
    expect(m).toContain('To: <a@example.com>, <b@example.com>\r\n');
    expect(m).toContain(`Subject: =?UTF-8?B?${Buffer.from(n.title).toString('base64')}?=\r\n`);
    expect(m).toContain('Date: Sun, 10 Jul 2022 15:59:59 +0000\r\n');
    expect(m).toContain('Message-ID: <abc@hrss.jl.gov.cn>\r\n');
    const body = m.split('\r\n\r\n')[1]!.replace(/\r\n/g, '');
    expect(Buffer.from(body, 'base64').toString('utf8')).toContain('张*丰');
    expect(m.split('\r\n').every((l) => l.length <= 998)).toBe(true);
  });

  it('robot answers: HTTP 200 with errcode ≠ 0 is a failure', () => {
    expect(robotAccepted(200, '{"errcode":0,"errmsg":"ok"}').ok).toBe(true);
    expect(robotAccepted(200, '{"code":0,"msg":"success"}').ok).toBe(true);
    expect(robotAccepted(200, '{"errcode":310000,"errmsg":"sign not match"}')).toEqual({ ok: false, error: 'errcode=310000 sign not match' });
    expect(robotAccepted(200, '{"code":19021,"msg":"sign match fail"}').ok).toBe(false);
    expect(robotAccepted(500, 'oops').ok).toBe(false);
    expect(robotAccepted(204, '').ok).toBe(true);
  });

  it('logged targets hide tokens', () => {
    expect(maskTarget('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-123')).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***');
    expect(maskTarget('https://open.feishu.cn/open-apis/bot/v2/hook/0123456789abcdef')).toBe('https://open.feishu.cn/open-apis/bot/v2/hook/***');
    expect(maskTarget('liaison@hrss.jl.gov.cn')).toBe('l***@hrss.jl.gov.cn');
  });
});

describe('settings', () => {
  it('quiet hours wrap midnight, in Shanghai time', () => {
    const q = parseQuietHours('22:00-07:00');
    expect(isQuiet(parseShanghai('2022-07-10 21:59:00'), q)).toBe(false);
    expect(isQuiet(parseShanghai('2022-07-10 22:00:00'), q)).toBe(true);
    expect(isQuiet(parseShanghai('2022-07-11 06:59:00'), q)).toBe(true);
    expect(isQuiet(parseShanghai('2022-07-11 07:00:00'), q)).toBe(false);
    const day = parseQuietHours('12:00-13:30');
    expect(isQuiet(parseShanghai('2022-07-11 13:00:00'), day)).toBe(true);
    expect(isQuiet(parseShanghai('2022-07-11 13:30:00'), day)).toBe(false);
    expect(parseQuietHours('off')).toBeNull();
    expect(() => parseQuietHours('late')).toThrow(/ALERT_QUIET_HOURS/);
  });

  it('backoff doubles', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, 60_000))).toEqual([60_000, 120_000, 240_000, 480_000]);
  });

  it('environment', () => {
    const s = loadNotifySettings({ PUBLIC_URL: 'https://jy.example.cn/', SMTP_URL: 'smtp://u%40x:p%3Aw@mail.example.cn:587?starttls=required', SMTP_FROM: 'alerts@example.cn' });
    expect(s.publicUrl).toBe('https://jy.example.cn');
    expect(s.smtp).toMatchObject({ host: 'mail.example.cn', port: 587, secure: false, user: 'u@x', pass: 'p:w', starttls: 'required', from: 'alerts@example.cn' });
    expect(parseSmtpUrl('smtps://mail.example.cn', 'a@b').port).toBe(465);
    expect(loadNotifySettings({}).quiet).toEqual({ start: 22 * 60, end: 7 * 60 });
    expect(() => loadNotifySettings({ PUBLIC_URL: 'ftp://x' })).toThrow(/PUBLIC_URL/);
    expect(() => loadNotifySettings({ ALERT_RETRY_ATTEMPTS: '0' })).toThrow(/ALERT_RETRY_ATTEMPTS/);
  });
});
