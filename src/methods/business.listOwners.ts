import { Type } from "@sinclair/typebox";
import { assertVisibleBusiness } from "./access.js";
import { notVisible } from "./data-error-docs.js";
import { BusinessOwnerObject, PersonObject, presentBusinessOwner, presentPerson } from "./data-objects.js";
import { defineMethod } from "./define.js";
import { listCursors } from "./pagination.js";
import { BusinessId, PageParams, PageResult, ShowSensitiveData, Strict } from "./schema.js";

export const businessListOwners = defineMethod({
  name: "business.listOwners",
  summary:
    "List a business's owner associations, oldest first, with cursor pagination; with verbose, each with its person.",
  auth: true,
  write: false,
  request: Strict({
    business_id: BusinessId,
    show_sensitive_data: ShowSensitiveData,
    verbose: Type.Optional(Type.Boolean({ description: "Add each owner's person (default false)" })),
    ...PageParams,
  }),
  response: Type.Object({
    business_owners: Type.Array(
      Type.Composite([BusinessOwnerObject, Type.Object({ person: Type.Optional(PersonObject) })], {
        title: "VerboseBusinessOwner",
      }),
    ),
    ...PageResult,
  }),
  errors: [
    {
      code: "BAD_REQUEST",
      when: "Missing or malformed business_id, invalid flags, limit outside 1–1000, or a foreign cursor",
    },
    notVisible("The business"),
  ],
  async handler(context, body) {
    // A foreign cursor is a bad value (step 1), reported before the flag (step 2) and the lookup (3).
    const cursors = listCursors(context.cursorKey, {
      method: "business.listOwners",
      filter: { business_id: body.business_id },
    });
    const position = cursors.pageRequest(body);
    const show = context.showSensitiveData(body.show_sensitive_data);
    await assertVisibleBusiness(context, body.business_id, "business_id");
    const page = await context.store.listBusinessOwnersPage(body.business_id, position);
    const owners = page.items.map(presentBusinessOwner);
    if (!body.verbose) return { business_owners: owners, ...cursors.pageResult(page) };
    const persons = new Map(
      (await context.store.getPersons(page.items.map((o) => o.person_id))).map((p) => [p.id, p]),
    );
    // Read on its own after the page: an owner removed (its person deleted) meanwhile is left out.
    const verbose = owners.flatMap((owner) => {
      const person = persons.get(owner.person_id);
      return person ? [{ ...owner, person: presentPerson(person, show) }] : [];
    });
    return { business_owners: verbose, ...cursors.pageResult(page) };
  },
});
