import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

const strict = <T extends string, C extends string>(builder: CreateTableBuilder<T, C>) => builder.modifyEnd(sql`strict`);

/**
 * The spatial home: locations and their views, entities with states, sensors, controllers and history, where each
 * is placed, collections, and the attributes (documents, notes, values) of entities and locations.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await strict(
    db.schema
      .createTable('location')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('svg_filename', 'text')
      .addColumn('svg_view_box_str', 'text', (c) => c.notNull())
      .addColumn('order_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull()),
  ).execute();

  await strict(
    db.schema
      .createTable('location_view')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('location_id', 'integer', (c) => c.notNull().references('location.id').onDelete('cascade'))
      .addColumn('location_view_type_str', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('svg_view_box_str', 'text', (c) => c.notNull())
      .addColumn('svg_rotate', 'real', (c) => c.notNull().defaultTo(0))
      .addColumn('svg_style_name_str', 'text', (c) => c.notNull())
      .addColumn('order_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('location_view_location').on('location_view').columns(['location_id', 'order_id']).execute();

  await strict(
    db.schema
      .createTable('entity')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('entity_type_str', 'text', (c) => c.notNull())
      .addColumn('integration_name', 'text')
      .addColumn('integration_id', 'text')
      .addColumn('integration_payload', 'text')
      .addColumn('previous_integration_name', 'text')
      .addColumn('previous_integration_id', 'text')
      .addColumn('is_disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('has_video_stream', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('archived_at', 'integer')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('entity_integration_key').unique().on('entity').columns(['integration_name', 'integration_id']).execute();
  await db.schema.createIndex('entity_previous_integration_key').on('entity').columns(['previous_integration_name', 'previous_integration_id']).execute();

  await strict(
    db.schema
      .createTable('entity_state')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('entity_id', 'integer', (c) => c.notNull().references('entity.id').onDelete('cascade'))
      .addColumn('entity_state_type_str', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('value_range_str', 'text')
      .addColumn('units', 'text')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addUniqueConstraint('entity_state_unique', ['entity_id', 'entity_state_type_str', 'name']),
  ).execute();

  for (const kind of ['sensor', 'controller'] as const) {
    await strict(
      db.schema
        .createTable(kind)
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('entity_state_id', 'integer', (c) => c.notNull().unique().references('entity_state.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('integration_name', 'text')
        .addColumn('integration_id', 'text')
        .addColumn('persist_history', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'integer', (c) => c.notNull()),
    ).execute();
    await db.schema.createIndex(`${kind}_integration_key`).unique().on(kind).columns(['integration_name', 'integration_id']).execute();

    await strict(
      db.schema
        .createTable(`${kind}_history`)
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn(`${kind}_id`, 'integer', (c) => c.notNull().references(`${kind}.id`).onDelete('cascade'))
        .addColumn('value', 'text')
        .addColumn('ts', 'integer', (c) => c.notNull()),
    ).execute();
    await db.schema.createIndex(`${kind}_history_recent`).on(`${kind}_history`).columns([`${kind}_id`, 'ts desc']).execute();
    await db.schema.createIndex(`${kind}_history_ts`).on(`${kind}_history`).column('ts').execute();
  }

  // Where an entity or a collection is on each location: an icon (position) or a drawn shape (path).
  for (const owner of ['entity', 'collection'] as const) {
    if (owner === 'collection') {
      await strict(
        db.schema
          .createTable('collection')
          .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('collection_type_str', 'text', (c) => c.notNull())
          .addColumn('collection_view_type_str', 'text', (c) => c.notNull())
          .addColumn('order_id', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'integer', (c) => c.notNull())
          .addColumn('updated_at', 'integer', (c) => c.notNull()),
      ).execute();
    }
    await strict(
      db.schema
        .createTable(`${owner}_position`)
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('location_id', 'integer', (c) => c.notNull().references('location.id').onDelete('cascade'))
        .addColumn(`${owner}_id`, 'integer', (c) => c.notNull().references(`${owner}.id`).onDelete('cascade'))
        .addColumn('svg_x', 'real', (c) => c.notNull())
        .addColumn('svg_y', 'real', (c) => c.notNull())
        .addColumn('svg_scale', 'real', (c) => c.notNull().defaultTo(1))
        .addColumn('svg_rotate', 'real', (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint(`${owner}_position_unique`, ['location_id', `${owner}_id`]),
    ).execute();
    await strict(
      db.schema
        .createTable(`${owner}_path`)
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('location_id', 'integer', (c) => c.notNull().references('location.id').onDelete('cascade'))
        .addColumn(`${owner}_id`, 'integer', (c) => c.notNull().references(`${owner}.id`).onDelete('cascade'))
        .addColumn('svg_path', 'text', (c) => c.notNull())
        .addColumn('path_style_str', 'text', (c) => c.notNull())
        .addUniqueConstraint(`${owner}_path_unique`, ['location_id', `${owner}_id`]),
    ).execute();
    await strict(
      db.schema
        .createTable(`${owner}_view`)
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn(`${owner}_id`, 'integer', (c) => c.notNull().references(`${owner}.id`).onDelete('cascade'))
        .addColumn('location_view_id', 'integer', (c) => c.notNull().references('location_view.id').onDelete('cascade'))
        .addUniqueConstraint(`${owner}_view_unique`, [`${owner}_id`, 'location_view_id']),
    ).execute();
    await db.schema.createIndex(`${owner}_view_by_view`).on(`${owner}_view`).column('location_view_id').execute();
  }

  await strict(
    db.schema
      .createTable('collection_entity')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('collection_id', 'integer', (c) => c.notNull().references('collection.id').onDelete('cascade'))
      .addColumn('entity_id', 'integer', (c) => c.notNull().references('entity.id').onDelete('cascade'))
      .addColumn('order_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addUniqueConstraint('collection_entity_unique', ['collection_id', 'entity_id']),
  ).execute();

  for (const owner of ['entity', 'location'] as const) {
    await strict(
      db.schema
        .createTable(`${owner}_attribute`)
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn(`${owner}_id`, 'integer', (c) => c.notNull().references(`${owner}.id`).onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('value_type_str', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('value_range_str', 'text')
        .addColumn('file_name', 'text')
        .addColumn('file_mime_type', 'text')
        .addColumn('file_size', 'integer')
        .addColumn('thumbnail_name', 'text')
        .addColumn('order_id', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('deleted_at', 'integer')
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'integer', (c) => c.notNull()),
    ).execute();
    await db.schema.createIndex(`${owner}_attribute_owner`).on(`${owner}_attribute`).columns([`${owner}_id`, 'order_id']).execute();
    await strict(
      db.schema
        .createTable(`${owner}_attribute_history`)
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('attribute_id', 'integer', (c) => c.notNull().references(`${owner}_attribute.id`).onDelete('cascade'))
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text')
        .addColumn('file_mime_type', 'text')
        .addColumn('file_size', 'integer')
        .addColumn('changed_at', 'integer', (c) => c.notNull()),
    ).execute();
    await db.schema
      .createIndex(`${owner}_attribute_history_recent`)
      .on(`${owner}_attribute_history`)
      .columns(['attribute_id', 'changed_at desc', 'id desc'])
      .execute();
  }
}
