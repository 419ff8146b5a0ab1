{#- Incremental "replace the cases that changed" (see the models section of
    dbt_project.yml). Each incremental model keeps one row set per case; a run

      1. (pre-hook, `replace_cases`) deletes the rows of every case that the run will
         rewrite (its driving input has a version newer than the table's) and of every
         case tombstoned since, then
      2. (strategy `append`) inserts the freshly computed rows of those cases, which the
         model selects with `where <version> > incremental_watermark()`.

    The same SQL runs on DuckDB (native table) and on Athena (Iceberg table: Hive tables
    have no DELETE). Re-running after a failure between 1 and 2 is safe: the watermark
    then reaches back at least as far, so the same cases are rewritten. -#}

{#- The newest version (a date) already in {{ this }}, as 'YYYY-MM-DD', minus
    var('incremental_lookback_days'). Real runs read it once (so the raw filter is a
    literal and both engines prune partitions); unit tests get a subquery over the
    `this` fixture; parse / compile without a table get the earliest date. -#}
{% macro incremental_watermark(column='scrape_date') -%}
    {%- set floor = '1900-01-01' -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(floor) }}
    {%- endif -%}
    {%- set result = run_query('select max(' ~ column ~ ') from ' ~ this) -%}
    {%- set value = result.columns[0].values()[0] if result else none -%}
    {%- if value is none -%}
        {{ return(floor) }}
    {%- endif -%}
    {%- set day = modules.datetime.date.fromisoformat((value | string)[:10]) -%}
    {%- set lookback = var('incremental_lookback_days', 0) | int -%}
    {{ return((day - modules.datetime.timedelta(days=lookback)).isoformat()) }}
{%- endmacro %}

{#- A filter keeping only versions newer than the table's watermark, in incremental
    runs (empty otherwise). `typed`: the column is a DATE on both engines; untyped raw
    partition columns (DATE on DuckDB, string on Athena) compare with a string literal,
    which both engines accept and prune on. In unit tests the watermark is a subquery
    over the `this` fixture, so the exclusion itself is what the test checks. -#}
{% macro newer_than_loaded(column, this_column='scrape_date', typed=false) -%}
    {#- unit tests have no `this` unless they give one -#}
    {%- if this is not none and is_incremental() -%}
        {%- if model.resource_type == 'unit_test' -%}
            {{ column }} > (select max({{ this_column }}) from {{ this }})
        {%- else -%}
            {%- set watermark = courtlake.incremental_watermark(this_column) -%}
            {{ column }} > {{ "date '" if typed else "'" }}{{ watermark }}'
        {%- endif -%}
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook: delete the rows the run is about to rewrite, and those of cases
    tombstoned since the table's watermark.
    touched_from / touched_key / touched_column: the driving input, the key expression
      of its cases and its version column (replace_touched=false: an append-only
      history, whose run deletes only the versions it re-reads, i.e. newer than the
      watermark, and the tombstoned cases);
    key / version: this table's case key expression and version column;
    removals / removal_key / removal_column: the tombstones (raw or staged);
    typed: the touched and removal columns are DATEs (else raw strings / partitions). -#}
{% macro replace_cases(
    touched_from,
    removals,
    key="court || '|' || case_number",
    version='scrape_date',
    touched_key="trim(court) || '|' || trim(case_number)",
    touched_column='scrape_date',
    removal_key="trim(court) || '|' || trim(case_number)",
    removal_column='detected_date',
    typed=false,
    replace_touched=true
) -%}
    {%- if not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set watermark = courtlake.incremental_watermark(version) -%}
    {%- set literal = ("date '" if typed else "'") ~ watermark ~ "'" -%}
    delete from {{ this }}
    where
        {%- if not replace_touched %}
        {{ version }} > date '{{ watermark }}' or
        {%- endif %}
        {{ key }} in (
        {%- if replace_touched %}
        select {{ touched_key }} from {{ touched_from }}
        where {{ touched_column }} > {{ literal }}
        union all
        {%- endif %}
        select {{ removal_key }} from {{ removals }}
        where {{ removal_column }} > {{ literal }}
    )
{%- endmacro %}

{#- Staging: the raw partition is newer than anything loaded (untyped partition). -#}
{% macro is_new_partition(column='scrape_date') -%}
    {{ courtlake.newer_than_loaded(column, 'scrape_date', typed=false) }}
{%- endmacro %}

{#- Intermediate / marts: the case version (a DATE) is newer than anything loaded;
    `this_column` is the table's own version column. -#}
{% macro is_changed_case(column='scrape_date', this_column='scrape_date') -%}
    {{ courtlake.newer_than_loaded(column, this_column, typed=true) }}
{%- endmacro %}
