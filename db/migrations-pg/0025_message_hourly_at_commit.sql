-- The message ledger's hourly counts move at commit, not at each statement. Every message of one
-- store, hour, channel, kind and status adds to the same message_hourly row, and an upsert keeps
-- that row locked until its transaction ends; counted at the statement, the row stayed locked for
-- the rest of the transaction, so transactions that each wrote a message (the delay scan's, on
-- several connections) waited on one another for their whole length. As deferred constraint
-- triggers the same counts are taken from the same row images, in the same transaction, in the
-- moment before its commit.
DROP TRIGGER "messages_hourly_insert_delete" ON "messages";
--> statement-breakpoint
DROP TRIGGER "messages_hourly_update" ON "messages";
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "messages_hourly_insert_delete" AFTER INSERT OR DELETE ON "messages"
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION "message_hourly_count"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "messages_hourly_update" AFTER UPDATE OF "status", "channel", "kind", "created_at", "store_id" ON "messages"
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."channel" IS DISTINCT FROM NEW."channel"
  OR OLD."kind" IS DISTINCT FROM NEW."kind" OR OLD."created_at" / 3600000 IS DISTINCT FROM NEW."created_at" / 3600000
  OR OLD."store_id" IS DISTINCT FROM NEW."store_id")
EXECUTE FUNCTION "message_hourly_count"();
