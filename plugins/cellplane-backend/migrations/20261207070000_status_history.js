// @ts-check

/**
 * The status history behind the delivery metrics: one row per change of a component's health or
 * running release in an environment. Written by every replica as it derives status. Each row names
 * the row it follows (previous_id, 0 for the first): the unique key on it makes a transition seen
 * by several replicas one row, whenever each saw it, and keeps one chain per component and
 * environment.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('cellplane_status_history', table => {
    table.comment('Changes of each component x environment status (health, running release), for delivery metrics');
    table.bigIncrements('id');
    table.string('namespace', 63).notNullable();
    table.string('project', 63).notNullable();
    table.string('component', 63).notNullable();
    table.string('environment', 63).notNullable();
    table.string('health', 16).notNullable().comment('Healthy, Progressing, Degraded, OutOfSync or NotDeployed');
    table.string('release_hash', 128).notNullable().defaultTo('').comment("The running release hash, '' when unknown");
    table.string('revision', 64).nullable().comment('The commit the status was derived against');
    table.text('reason').nullable();
    table.bigInteger('at').notNullable().comment('When the change was seen, milliseconds since the epoch');
    table.bigInteger('previous_id').notNullable().defaultTo(0).comment('The row of the same component and environment this one follows, 0 for the first');
    table.unique(['namespace', 'component', 'environment', 'previous_id'], {
      indexName: 'cellplane_status_history_transition_key',
    });
    table.index(['namespace', 'at'], 'cellplane_status_history_namespace_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('cellplane_status_history');
};
