/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** The signed-in merchant user (admin pages only). */
    user?: import('./server/auth/session.ts').SessionUser;
    session?: import('./server/auth/session.ts').Session;
    /** Set by a page whose HTML the front server may keep and answer from memory. */
    pageCacheTags?: { storeId: string; orderId: string };
  }
}
