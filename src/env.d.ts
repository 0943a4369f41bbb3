/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** Set by a page whose HTML the front server may keep and answer from memory. */
    pageCacheTags?: { storeId: string; orderId: string };
  }
}
