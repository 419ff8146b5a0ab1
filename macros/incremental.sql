{#- Incremental helpers for the staging models that keep the latest version of each
    natural key (see the staging section of dbt_project.yml for the strategy). -#}

{#- The newest partition already in {{ this }}, as a quoted 'YYYY-MM-DD' literal, minus
    `var('incremental_lookback_days')` days. The raw filter `scrape_date > <literal>`
    compares a DATE partition (DuckDB) or a string partition (Athena) with a literal, so
    both engines prune partitions instead of reading the whole history. Outside a real
    run (parse, compile, unit tests) it yields the earliest date, i.e. no filter. -#}
{% macro incremental_watermark(column='scrape_date') -%}
    {%- set floor = "'1900-01-01'" -%}
    {%- if not execute or not is_incremental() or model.resource_type != 'model' -%}
        {{ return(floor) }}
    {%- endif -%}
    {%- set result = run_query('select max(' ~ column ~ ') from ' ~ this) -%}
    {%- set value = result.columns[0].values()[0] if result else none -%}
    {%- if value is none -%}
        {{ return(floor) }}
    {%- endif -%}
    {%- set day = modules.datetime.date.fromisoformat((value | string)[:10]) -%}
    {%- set lookback = var('incremental_lookback_days', 0) | int -%}
    {%- set day = day - modules.datetime.timedelta(days=lookback) -%}
    {{ return("'" ~ day.isoformat() ~ "'") }}
{%- endmacro %}
