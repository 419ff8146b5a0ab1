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

{% macro athena__safe_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
