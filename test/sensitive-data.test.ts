/**
 * Unmasking and its audit (data.md §2.6, §13): the masked form, the walk that finds what a
 * response revealed, and — through the real route, on both databases — the one
 * SENSITIVE_DATA_ACCESSED event an unmasked read writes before it answers. No method returns
 * entity data yet, so a test-only read method presents a business with an owner and a bank
 * account the way the entity methods will; the entity methods test it again through their own
 * `get`s.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Type } from "@sinclair/typebox";
import type { CallResult, VettedClient } from "@vetted/client";
import { maskSensitive } from "../src/domain/masking.js";
import { revealedIn, revealOrMask } from "../src/domain/sensitive-data.js";
import { errorsOf } from "../src/http/openapi.js";
import { assertOnlyReadsUnmask, takesShowSensitiveData } from "../src/http/sensitive-read.js";
import { assertVisibleSubjectRecord } from "../src/methods/access.js";
import { defineMethod } from "../src/methods/define.js";
import { METHODS } from "../src/methods/index.js";
import { ShowSensitiveData, Strict, SubjectRecordId } from "../src/methods/schema.js";
import { databaseKinds } from "./support/databases.js";
import { UNMASK_DENIED, withMaskedCredentials } from "./support/sensitive.js";
import { startSecondApp, useTestServer } from "./support/server.js";
import { createSubjectRecord, expectErrors, expectOk } from "./support/workflows.js";

describe("maskSensitive", () => {
  it("shows at most the last four characters and never more than half (data.md §15)", () => {
    assert.equal(maskSensitive("123456789"), "*****6789");
    assert.equal(maskSensitive("000123456789"), "********6789");
    assert.equal(maskSensitive("123456"), "***456");
    assert.equal(maskSensitive("1234"), "**34");
    assert.equal(maskSensitive("12345678901234567"), "*************4567");
    assert.equal(maskSensitive(null), null);
    assert.equal(revealOrMask("123456789", false), "*****6789");
    assert.equal(revealOrMask("123456789", true), "123456789");
    assert.equal(revealOrMask(null, true), null);
  });
});

const SR = "sr_7eobHllxknr7mfqbjnX2Pp";
const person = (id: string, taxId: string | null, sr = SR) => ({
  person_id: id,
  subject_record_id: sr,
  first_name: "Ann",
  tax_id: taxId,
});
const bankAccount = (id: string, number: string) => ({
  bank_account_id: id,
  subject_record_id: SR,
  bank_routing_number: "011000015",
  bank_account_number: number,
});

describe("revealedIn", () => {
  it("lists each entity with a set sensitive value once, in order of first appearance", () => {
    const response = {
      business: {
        business_id: "b_1",
        subject_record_id: SR,
        tax_id: "123456789",
        business_owners: [
          {
            business_owner_id: "bo_1",
            business_id: "b_1",
            person_id: "p_1",
            person: person("p_1", "111111111"),
          },
          { business_owner_id: "bo_2", business_id: "b_1", person_id: "p_2", person: person("p_2", null) },
        ],
        business_bank_accounts: [
          {
            business_bank_account_id: "bba_1",
            business_id: "b_1",
            bank_account_id: "ba_1",
            bank_account: bankAccount("ba_1", "1234"),
          },
        ],
      },
      persons: [person("p_1", "111111111"), person("p_3", "333333333")],
    };
    assert.deepEqual(revealedIn(response), {
      subject_record_id: SR,
      entities: [
        { entity_type: "Business", entity_id: "b_1", fields: ["tax_id"] },
        { entity_type: "Person", entity_id: "p_1", fields: ["tax_id"] },
        { entity_type: "Bank Account", entity_id: "ba_1", fields: ["bank_account_number"] },
        { entity_type: "Person", entity_id: "p_3", fields: ["tax_id"] },
      ],
    });
  });

  it("is null when nothing sensitive is set", () => {
    assert.equal(revealedIn({ subject_record: { subject_record_id: SR, workflows: [] } }), null);
    assert.equal(revealedIn({ persons: [person("p_1", null)] }), null);
    assert.equal(revealedIn({ persons: [], has_more: false, next_cursor: null }), null);
  });

  it("fails on what it cannot place, rather than reveal something unaudited", () => {
    assert.throws(() => revealedIn({ thing: { tax_id: "123456789" } }), /no known entity/);
    assert.throws(
      () => revealedIn({ odd: { business_id: "b_1", person_id: "p_1", subject_record_id: SR, tax_id: "1" } }),
      /ambiguous/,
    );
    assert.throws(
      () => revealedIn({ person: { person_id: "p_1", tax_id: "123456789" } }),
      /subject_record_id/,
    );
    assert.throws(
      () => revealedIn({ persons: [person("p_1", "1"), person("p_2", "2", "sr_other")] }),
      /two subject records/,
    );
  });
});

/** A read presenting sensitive values as the entity methods will; options make it misbehave. */
const revealBusiness = defineMethod({
  name: "test.revealBusiness",
  summary: "test only",
  auth: true,
  write: false,
  request: Strict({
    subject_record_id: SubjectRecordId,
    show_sensitive_data: ShowSensitiveData,
    skip_check: Type.Optional(Type.Boolean()),
    foreign_person: Type.Optional(Type.Boolean()),
  }),
  response: Type.Object({ business: Type.Any() }),
  errors: [],
  async handler(context, body) {
    const show = body.skip_check
      ? body.show_sensitive_data === true
      : context.showSensitiveData(body.show_sensitive_data);
    const record = await assertVisibleSubjectRecord(context, body.subject_record_id, "subject_record_id");
    const sr = record.id;
    const ownerPerson = (id: string, taxId: string | null, at = sr) => ({
      person_id: id,
      subject_record_id: at,
      tax_id: revealOrMask(taxId, show),
    });
    return {
      business: {
        business_id: "b_audit1",
        subject_record_id: sr,
        tax_id: revealOrMask("123456789", show),
        business_owners: [
          {
            business_owner_id: "bo_1",
            business_id: "b_audit1",
            person_id: "p_1",
            person: ownerPerson("p_1", "987654321"),
          },
          {
            business_owner_id: "bo_2",
            business_id: "b_audit1",
            person_id: "p_2",
            person: ownerPerson("p_2", null),
          },
          ...(body.foreign_person ? [{ person: ownerPerson("p_3", "555555555", "sr_elsewhere") }] : []),
        ],
        business_bank_accounts: [
          {
            business_bank_account_id: "bba_1",
            bank_account_id: "ba_1",
            bank_account: {
              bank_account_id: "ba_1",
              subject_record_id: sr,
              bank_account_number: revealOrMask("12345678901234567", show),
            },
          },
        ],
      },
    };
  },
});

describe("the methods that take show_sensitive_data", () => {
  it("are the reads that declare it, and each documents the refusal", () => {
    const taking = METHODS.filter(takesShowSensitiveData);
    assert.ok(taking.some((method) => method.name === "subjectRecord.get"));
    for (const method of taking) assert.equal(method.write, false, method.name);
    for (const method of [...METHODS, revealBusiness]) {
      const documented = errorsOf(method).some(
        (error) => error.code === "PERMISSION_DENIED" && error.when.includes("show_sensitive_data"),
      );
      assert.equal(documented, takesShowSensitiveData(method), method.name);
    }
  });

  it("never a write: the server refuses to register one", () => {
    assert.doesNotThrow(() => assertOnlyReadsUnmask(revealBusiness));
    assert.throws(
      () => assertOnlyReadsUnmask({ ...revealBusiness, write: true }),
      /test.revealBusiness writes, so it may not take show_sensitive_data/,
    );
  });
});

type Reveal = { business: Record<string, unknown> };
const callReveal = (client: VettedClient, body: Record<string, unknown>) =>
  (client.call as unknown as (method: string, body: unknown) => Promise<CallResult<Reveal>>)(
    "test.revealBusiness",
    body,
  );

for (const kind of databaseKinds()) {
  describe(`show_sensitive_data and its audit [${kind}]`, () => {
    const server = useTestServer(kind, { methods: [...METHODS, revealBusiness] });
    const auditsOf = async (accountId: string) =>
      (await server().store.listEvents({ accountId })).filter(
        (e) => e.event_type === "SENSITIVE_DATA_ACCESSED",
      );

    it("an unmasked read answers clear values and writes one event naming each entity and field", async () => {
      const fixture = await withMaskedCredentials(server());
      const { client, account, credential } = fixture;
      const subject_record_id = await createSubjectRecord(client, account.id);
      const shown = expectOk(await callReveal(client, { subject_record_id, show_sensitive_data: true }));
      assert.equal(shown.business.tax_id, "123456789");
      const audits = await auditsOf(account.id);
      assert.equal(audits.length, 1);
      const [audit] = audits;
      assert.ok(audit);
      assert.match(audit.id, /^wh_/);
      assert.deepEqual(
        { ...audit, id: "", created_at: "" },
        {
          id: "",
          event_type: "SENSITIVE_DATA_ACCESSED",
          account_id: account.id,
          subject_record_id,
          workflow_id: null,
          workflow_type: null,
          actor_type: "API_KEY",
          actor_id: credential.api_key,
          created_at: "",
          payload: {
            method: "test.revealBusiness",
            entities: [
              { entity_type: "Business", entity_id: "b_audit1", fields: ["tax_id"] },
              { entity_type: "Person", entity_id: "p_1", fields: ["tax_id"] },
              { entity_type: "Bank Account", entity_id: "ba_1", fields: ["bank_account_number"] },
            ],
          },
        },
      );
      // Each unmasked read is audited afresh; a masked one is not audited at all.
      expectOk(await callReveal(client, { subject_record_id, show_sensitive_data: true }));
      const masked = expectOk(await callReveal(client, { subject_record_id, show_sensitive_data: false }));
      assert.equal(masked.business.tax_id, "*****6789");
      expectOk(await callReveal(fixture.reader, { subject_record_id }));
      assert.equal((await auditsOf(account.id)).length, 2);
    });

    it("a credential that may not unmask is refused and nothing is audited", async () => {
      const { client, account, reader, masked } = await withMaskedCredentials(server());
      const subject_record_id = await createSubjectRecord(client, account.id);
      for (const refused of [reader, masked]) {
        expectErrors(await callReveal(refused, { subject_record_id, show_sensitive_data: true }), 403, [
          UNMASK_DENIED,
        ]);
      }
      assert.deepEqual(await auditsOf(account.id), []);
    });

    it("a response that cannot be audited fails with a 5xx and reveals nothing", async () => {
      const { client, account } = await withMaskedCredentials(server());
      const subject_record_id = await createSubjectRecord(client, account.id);
      for (const misbehaving of [{ skip_check: true }, { foreign_person: true }]) {
        const result = await callReveal(client, {
          subject_record_id,
          show_sensitive_data: true,
          ...misbehaving,
        });
        assert.equal(result.status, 500, JSON.stringify(result));
        assert.ok(!JSON.stringify(result).includes("123456789"), "nothing revealed");
      }
      assert.deepEqual(await auditsOf(account.id), []);
    });

    it("when the event cannot be written the read fails and reveals nothing", async () => {
      const { credential, client, account } = await withMaskedCredentials(server());
      const subject_record_id = await createSubjectRecord(client, account.id);
      const second = await startSecondApp(
        server(),
        {},
        (store) => ({
          ...store,
          write(unit) {
            if (unit.procedure !== "auditSensitiveRead") return store.write(unit);
            return Promise.reject(new Error("the disk is full"));
          },
        }),
        [...METHODS, revealBusiness],
      );
      try {
        const viaSecond = second.clientFor(credential);
        const failed = await callReveal(viaSecond, { subject_record_id, show_sensitive_data: true });
        assert.equal(failed.status, 500, JSON.stringify(failed));
        assert.ok(!JSON.stringify(failed).includes("123456789"), "nothing revealed");
        // The masked read writes nothing, so it still answers.
        expectOk(await callReveal(viaSecond, { subject_record_id }));
      } finally {
        await second.stop();
      }
      assert.deepEqual(await auditsOf(account.id), []);
    });
  });
}
