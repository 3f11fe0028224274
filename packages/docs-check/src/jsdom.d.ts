// The one piece of jsdom used here (a window for DOMPurify), declared by hand: @types/jsdom brings
// the DOM library's global types, whose Web Crypto types clash with Node's in the emulator's sources
// that the tests compile with.
declare module "jsdom" {
  export class JSDOM {
    constructor(html?: string);
    readonly window: object;
  }
}
