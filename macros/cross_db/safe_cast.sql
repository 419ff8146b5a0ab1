{#- Casts that return null instead of failing on a bad value.

    dbt's own `safe_cast` is a plain `cast` on DuckDB (it raises on bad input); the
    `duckdb__safe_cast` below overrides it through the `dispatch` search order in
    dbt_project.yml, so `dbt.safe_cast` and `courtlake.safe_cast` agree. -#}

{% macro safe_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('safe_cast', 'courtlake')(expression, data_type)) }}
{%- endmacro %}

{% macro default__safe_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro duckdb__safe_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#- Athena: dbt-athena reports the timestamp columns of an Iceberg table as
    timestamp(6) (Iceberg's precision), and dbt types unit-test fixtures of such an
    input with it; but a unit test builds in a Hive table, whose timestamps Athena
    keeps to the millisecond (a timestamp(6) column fails the CTAS with
    "Incorrect timestamp precision for timestamp(6)"). Such a cast becomes Athena's
    millisecond timestamp(3); every other type is cast as asked. -#}
{% macro athena__safe_cast(expression, data_type) -%}
    {%- set athena_type = 'timestamp(3)' if (data_type | lower | trim) == 'timestamp(6)' else data_type -%}
    try_cast({{ expression }} as {{ athena_type }})
{%- endmacro %}
