{#- Hashing: hex digests and surrogate keys, identical on both engines. -#}

{#- Lower-case hex sha256 of a varchar expression. -#}
{% macro sha256_hex(expression) -%}
    {{ return(adapter.dispatch('sha256_hex', 'courtlake')(expression)) }}
{%- endmacro %}

{% macro default__sha256_hex(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{% macro athena__sha256_hex(expression) -%}
    lower(to_hex(sha256(to_utf8({{ expression }}))))
{%- endmacro %}

{#- Lower-case hex md5 of a varchar expression. -#}
{% macro md5_hex(expression) -%}
    {{ return(adapter.dispatch('md5_hex', 'courtlake')(expression)) }}
{%- endmacro %}

{% macro default__md5_hex(expression) -%}
    md5({{ expression }})
{%- endmacro %}

{% macro athena__md5_hex(expression) -%}
    lower(to_hex(md5(to_utf8({{ expression }}))))
{%- endmacro %}

{#- A stable key from columns (the dbt_utils recipe): md5 of the values as text joined
    by '|', nulls as '_null_'. Same value on DuckDB and Athena. -#}
{% macro surrogate_key(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append(
            "coalesce(cast(" ~ column ~ " as varchar), '_null_')"
        ) -%}
    {%- endfor -%}
    {{ courtlake.md5_hex(parts | join(" || '|' || ")) }}
{%- endmacro %}
