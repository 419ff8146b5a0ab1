{#- Data tests in `dbt build` check the rows that build wrote.

    Every incremental model stamps its rows with `dbt_invocation_id`. An incremental
    run rewrites whole cases (or appends new visits, or one delivery week), so the rows
    it did not write were checked when they were written and cannot have changed: in
    `dbt build`, a data test on an incremental model reads only the rows of this
    invocation (all of them after a full refresh). `dbt test` on its own, and tests on
    every other model, read the whole table. The test's own `where` config still
    applies. The other side of a relationships test is always read whole, but an old
    child row whose parent a later run removed is not re-checked in `dbt build` (every
    incremental model removes a tombstoned case in the same run; `dbt test` on its
    own checks every row).

    This overrides dbt's `get_where_subquery` (dispatched; this project comes first in
    the dispatch search order, see dbt_project.yml). -#}
{% macro default__get_where_subquery(relation) -%}
    {%- set filters = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do filters.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- if courtlake.tests_rows_written_by_this_run() -%}
        {%- do filters.append("dbt_invocation_id = '" ~ invocation_id ~ "'") -%}
    {%- endif -%}
    {%- if not filters -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set filtered -%}
        (select * from {{ relation }} where {{ filters | join(' and ') }}) dbt_subquery
    {%- endset -%}
    {{ return(filtered) }}
{%- endmacro %}

{#- True in `dbt build` for a data test attached to an incremental model that stamps
    its rows with dbt_invocation_id. -#}
{% macro tests_rows_written_by_this_run() -%}
    {%- if not execute or flags.WHICH != 'build' -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set attached = model.get('attached_node') if model is mapping else none -%}
    {%- set tested = graph.nodes.get(attached) if attached else none -%}
    {{ return(
        tested is not none
        and tested.resource_type == 'model'
        and tested.config.materialized == 'incremental'
        and 'dbt_invocation_id' in tested.columns
    ) }}
{%- endmacro %}

{#- The whole table a data test is attached to (its own `where` config applied, not the
    invocation filter), to be aliased by the caller: the side a uniqueness check
    compares this run's keys with. -#}
{% macro tested_relation() -%}
    {%- set node = graph.nodes.get(model.get('attached_node')) -%}
    {%- set relation = api.Relation.create(
        database=node.database, schema=node.schema, identifier=node.alias
    ) -%}
    {%- set where = config.get('where', '') -%}
    {%- if not where -%}
        {{ return(relation) }}
    {%- endif -%}
    {{ return('(select * from ' ~ relation ~ ' where ' ~ where ~ ')') }}
{%- endmacro %}

{#- `unique`, with the cost of this run's rows and the strength of the whole table: in
    `dbt build` on an incremental model, every key this run wrote is counted over the
    whole table, so a row an earlier run left with the same key (what a broken delete
    pre-hook leaves) fails the build. Elsewhere, dbt's own query. -#}
{% macro default__test_unique(model, column_name) -%}
    {%- if courtlake.tests_rows_written_by_this_run() %}
with

this_run as (

    select distinct {{ column_name }} as unique_field
    from {{ model }}
    where {{ column_name }} is not null

),

whole as (

    select tested.{{ column_name }} as unique_field
    from {{ courtlake.tested_relation() }} as tested

)

select
    whole.unique_field,
    count(*) as n_records
from whole
inner join this_run on whole.unique_field = this_run.unique_field
group by whole.unique_field
having count(*) > 1
    {%- else %}
select
    {{ column_name }} as unique_field,
    count(*) as n_records
from {{ model }}
where {{ column_name }} is not null
group by {{ column_name }}
having count(*) > 1
    {%- endif %}
{%- endmacro %}
