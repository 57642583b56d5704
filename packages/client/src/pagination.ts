/**
 * Cursor pagination over any list method (wire.md "Lists"): follow `next_cursor` while `has_more`.
 * The array's key per method is generated from the response schemas (LIST_ITEMS_KEYS).
 */
import type { CallOptions } from "./client.js";
import {
  LIST_ITEMS_KEYS,
  type ListItemOf,
  type ListMethodName,
  type MethodName,
  type RequestOf,
  type ResponseOf,
} from "./methods.js";

type Request = <N extends MethodName>(
  method: N,
  body: RequestOf<N>,
  options?: CallOptions,
) => Promise<ResponseOf<N>>;

interface PageShape {
  has_more: boolean;
  next_cursor: string | null;
}

export function pageReader(request: Request) {
  /**
   * Every page of the list, in order, starting from `body.cursor` if given. A refusal on any page
   * throws VettedApiError; a page already yielded stays valid.
   */
  async function* pages<N extends ListMethodName>(
    method: N,
    body: RequestOf<N>,
    options?: CallOptions,
  ): AsyncGenerator<ResponseOf<N>, void, undefined> {
    let pageBody = body;
    for (;;) {
      const page = await request(method, pageBody, options);
      yield page;
      const { has_more, next_cursor } = page as PageShape;
      if (!has_more || next_cursor === null) return;
      pageBody = { ...pageBody, cursor: next_cursor };
    }
  }

  /** Every item of the list, page after page: `for await (const w of client.paginate("workflow.list", body))`. */
  async function* paginate<N extends ListMethodName>(
    method: N,
    body: RequestOf<N>,
    options?: CallOptions,
  ): AsyncGenerator<ListItemOf<N>, void, undefined> {
    const key = LIST_ITEMS_KEYS[method];
    for await (const page of pages(method, body, options)) {
      yield* (page as Record<string, ListItemOf<N>[]>)[key] ?? [];
    }
  }

  return { pages, paginate };
}
