CREATE TABLE "page_versions" (
	"store_id" text NOT NULL,
	"order_id" text NOT NULL,
	"xact" bigint,
	CONSTRAINT "page_versions_store_id_order_id_pk" PRIMARY KEY("store_id","order_id")
);
