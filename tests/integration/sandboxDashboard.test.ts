import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../electron/main/sandbox/index';
import { startSandbox } from '../../electron/main/sandbox/index';
import { toE164 } from '../../shared/domain/phone';
import { dashboard, sendMessage, waitFor } from './sandboxSupport';

const parser = new XMLParser({ parseTagValue: false, isArray: (name) => ['TelephoneNumber', 'CallbackType', 'Application'].includes(name) });
const parse = (text: string) => parser.parse(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox({ personas: false, delays: { orderStepMs: 30 } });
});
afterEach(async () => {
  await sandbox.stop();
});

describe('sandbox Dashboard (XML) API', () => {
  it('lists in-service numbers as 10 digits, paged, with totals', async () => {
    const all = await dashboard(sandbox, 'GET', '/inserviceNumbers?page=1&size=300');
    expect(all.status).toBe(200);
    expect(all.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8" standalone="yes"\?>/);
    const tns = parse(all.text).TNs;
    expect(tns.TelephoneNumbers.TelephoneNumber).toEqual(sandbox.numbers.map((n) => n.number.slice(2)));
    expect(Number(tns.TotalCount)).toBe(4);
    const page = parse((await dashboard(sandbox, 'GET', '/inserviceNumbers?page=1&size=3')).text).TNs;
    expect(page.TelephoneNumbers.TelephoneNumber).toHaveLength(3);
    expect(page.Links.next).toContain('page=2');
    expect((await dashboard(sandbox, 'GET', '/inserviceNumbers?areacode=212')).status).toBe(204);
    expect(parse((await dashboard(sandbox, 'GET', '/inserviceNumbers/totals')).text).Quantity.Count).toBe('4');
  });

  it('searches available numbers (valid, not owned) and refuses a search without criteria', async () => {
    const result = parse((await dashboard(sandbox, 'GET', '/availableNumbers?areaCode=919&quantity=5')).text).SearchResult;
    expect(Number(result.ResultCount)).toBe(5);
    for (const tn of result.TelephoneNumberList.TelephoneNumber as string[]) {
      expect(tn).toMatch(/^919\d{7}$/);
      expect(toE164(`+1${tn}`)).toBe(`+1${tn}`);
      expect(sandbox.numbers.map((n) => n.number)).not.toContain(`+1${tn}`);
    }
    const tollFree = parse((await dashboard(sandbox, 'GET', '/availableNumbers?tollFreeWildCardPattern=88*&quantity=2')).text).SearchResult;
    expect(tollFree.TelephoneNumberList.TelephoneNumber[0]).toMatch(/^888/);
    const missing = await dashboard(sandbox, 'GET', '/availableNumbers?quantity=2');
    expect(missing.status).toBe(400);
    expect(parse(missing.text).SearchResult.ErrorList.Error.Code).toBe('4010');
  });

  it('orders numbers asynchronously: RECEIVED, then COMPLETE, and the number can send', async () => {
    const search = parse((await dashboard(sandbox, 'GET', '/availableNumbers?areaCode=984&quantity=1')).text).SearchResult;
    const tn = search.TelephoneNumberList.TelephoneNumber[0] as string;
    const created = await dashboard(
      sandbox,
      'POST',
      '/orders',
      `<Order><Name>test</Name><SiteId>${sandbox.siteId}</SiteId><PartialAllowed>true</PartialAllowed><ExistingTelephoneNumberOrderType><TelephoneNumberList><TelephoneNumber>${tn}</TelephoneNumber></TelephoneNumberList></ExistingTelephoneNumberOrderType></Order>`,
    );
    expect(created.status).toBe(201);
    const order = parse(created.text).OrderResponse;
    expect(order.OrderStatus).toBe('RECEIVED');
    const id = order.Order.id as string;
    const done = await waitFor(async () => {
      const status = parse((await dashboard(sandbox, 'GET', `/orders/${id}`)).text).OrderResponse;
      return status.OrderStatus === 'COMPLETE' && status;
    }, 'order completion');
    expect(done.CompletedNumbers.TelephoneNumber[0].FullNumber).toBe(tn);
    expect(sandbox.numbers.map((n) => n.number)).toContain(`+1${tn}`);
    expect((await sendMessage(sandbox, { from: `+1${tn}`, to: ['+19845550199'], text: 'new number' })).status).toBe(202);
  });

  it('refuses orders without a valid SiteId', async () => {
    const noSite = await dashboard(sandbox, 'POST', '/orders', '<Order><ExistingTelephoneNumberOrderType><TelephoneNumberList><TelephoneNumber>9845550100</TelephoneNumber></TelephoneNumberList></ExistingTelephoneNumberOrderType></Order>');
    expect(noSite.status).toBe(400);
    expect(parse(noSite.text).OrderResponse.ErrorList.Error.Code).toBe('5022');
    const wrongSite = await dashboard(sandbox, 'POST', '/orders', '<Order><SiteId>1</SiteId><ExistingTelephoneNumberOrderType><TelephoneNumberList><TelephoneNumber>9845550100</TelephoneNumber></TelephoneNumberList></ExistingTelephoneNumberOrderType></Order>');
    expect(parse(wrongSite.text).OrderResponse.ErrorList.Error.Code).toBe('5016');
  });

  it('reads and updates the messaging application; passwords are stored but never echoed', async () => {
    const path = `/applications/${sandbox.applicationId}`;
    const initial = parse((await dashboard(sandbox, 'GET', path)).text).ApplicationProvisioningResponse.Application[0];
    expect(initial).toMatchObject({ ApplicationId: sandbox.applicationId, ServiceType: 'Messaging-V2' });
    const patched = await dashboard(
      sandbox,
      'PATCH',
      path,
      '<Application><InboundCallbackUrl>https://example.com/in</InboundCallbackUrl><OutboundCallbackUrl>https://example.com/out</OutboundCallbackUrl><InboundCallbackCreds><UserId>u1</UserId><Password>p1-secret</Password></InboundCallbackCreds></Application>',
    );
    expect(patched.status).toBe(200);
    expect(patched.text).not.toContain('p1-secret');
    const app = parse(patched.text).ApplicationProvisioningResponse.Application[0];
    expect(app).toMatchObject({ InboundCallbackUrl: 'https://example.com/in', OutboundCallbackUrl: 'https://example.com/out', InboundCallbackCreds: { UserId: 'u1' } });
    expect(app.AppName).toBe(initial.AppName);

    // PUT replaces everything: fields not sent are gone. The deprecated MsgCallbackUrl fills both directions.
    const put = await dashboard(sandbox, 'PUT', path, '<Application><ServiceType>Messaging-V2</ServiceType><AppName>Renamed</AppName><MsgCallbackUrl>https://example.com/both</MsgCallbackUrl></Application>');
    const replaced = parse(put.text).ApplicationProvisioningResponse.Application[0];
    expect(replaced).toMatchObject({ AppName: 'Renamed', InboundCallbackUrl: 'https://example.com/both', OutboundCallbackUrl: 'https://example.com/both' });
    expect(replaced.InboundCallbackCreds).toBeUndefined();

    const list = parse((await dashboard(sandbox, 'GET', '/applications')).text).ApplicationProvisioningResponse.ApplicationList.Application;
    expect(list.map((a: { ApplicationId: string }) => a.ApplicationId)).toContain(sandbox.applicationId);
    expect((await dashboard(sandbox, 'GET', '/applications/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await dashboard(sandbox, 'PUT', path, '<Application><ServiceType>Voice-V2</ServiceType></Application>')).status).toBe(400);
  });

  it('requires API credentials', async () => {
    const response = await fetch(`${sandbox.dashboardUrl}/accounts/${sandbox.accountId}/inserviceNumbers`);
    expect(response.status).toBe(401);
  });
});
