import { Type } from "@sinclair/typebox";
import { notFound } from "../errors.js";
import { assertVisibleBusinessOwner } from "./access.js";
import { notVisible } from "./data-error-docs.js";
import { BusinessOwnerObject, PersonObject, presentBusinessOwner, presentPerson } from "./data-objects.js";
import { defineMethod } from "./define.js";
import { BusinessOwnerId, ShowSensitiveData, Strict } from "./schema.js";

export const businessGetOwner = defineMethod({
  name: "business.getOwner",
  summary: "Get an owner association; with verbose, also its person.",
  auth: true,
  write: false,
  request: Strict({
    business_owner_id: BusinessOwnerId,
    show_sensitive_data: ShowSensitiveData,
    verbose: Type.Optional(Type.Boolean({ description: "Add the owner's person (default false)" })),
  }),
  response: Type.Object({
    business_owner: Type.Composite(
      [BusinessOwnerObject, Type.Object({ person: Type.Optional(PersonObject) })],
      { title: "VerboseBusinessOwner" },
    ),
  }),
  errors: [
    { code: "BAD_REQUEST", when: "Missing or malformed business_owner_id; invalid flags" },
    notVisible("The owner association"),
  ],
  async handler(context, body) {
    // Step 2 (data.md §2.1); the route audits what the answer reveals (http/sensitive-read.ts).
    const show = context.showSensitiveData(body.show_sensitive_data);
    const found = await assertVisibleBusinessOwner(context, body.business_owner_id, "business_owner_id");
    const owner = presentBusinessOwner(found);
    if (!body.verbose) return { business_owner: owner };
    const [person] = await context.store.getPersons([found.person_id]);
    // A person cannot be deleted while it owns: gone, the association was removed meanwhile.
    if (!person) throw notFound("Business Owner", "business_owner_id");
    return { business_owner: { ...owner, person: presentPerson(person, show) } };
  },
});
