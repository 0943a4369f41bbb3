-- The message ledger's hourly counts (message_hourly), kept by triggers so every insert, status
-- change and delete of a message moves them in the same statement, whatever code did it; then
-- filled once from the ledger as it is.
CREATE FUNCTION "message_hourly_count"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "message_hourly" SET "n" = "n" - 1
    WHERE "store_id" = OLD."store_id" AND "hour" = OLD."created_at" / 3600000 AND "channel" = OLD."channel"
      AND "kind" = OLD."kind" AND "status" = OLD."status";
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "message_hourly" ("store_id", "hour", "channel", "kind", "status", "n")
    VALUES (NEW."store_id", NEW."created_at" / 3600000, NEW."channel", NEW."kind", NEW."status", 1)
    ON CONFLICT ("store_id", "hour", "channel", "kind", "status") DO UPDATE SET "n" = "message_hourly"."n" + 1;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "messages_hourly_insert_delete" AFTER INSERT OR DELETE ON "messages"
FOR EACH ROW EXECUTE FUNCTION "message_hourly_count"();
--> statement-breakpoint
CREATE TRIGGER "messages_hourly_update" AFTER UPDATE OF "status", "channel", "kind", "created_at", "store_id" ON "messages"
FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."channel" IS DISTINCT FROM NEW."channel"
  OR OLD."kind" IS DISTINCT FROM NEW."kind" OR OLD."created_at" / 3600000 IS DISTINCT FROM NEW."created_at" / 3600000
  OR OLD."store_id" IS DISTINCT FROM NEW."store_id")
EXECUTE FUNCTION "message_hourly_count"();
--> statement-breakpoint
INSERT INTO "message_hourly" ("store_id", "hour", "channel", "kind", "status", "n")
SELECT "store_id", "created_at" / 3600000, "channel", "kind", "status", count(*)
FROM "messages" GROUP BY "store_id", "created_at" / 3600000, "channel", "kind", "status";
