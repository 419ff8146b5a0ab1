{#- Parsing the raw tables' text: ISO dates, ISO date-times, money, partition dates.
    Every parser returns null for a blank or malformed value instead of failing. -#}

{#- `YYYY-MM-DD` → date. -#}
{% macro parse_iso_date(expression) -%}
    {{ return(adapter.dispatch('parse_iso_date', 'courtlake')(expression)) }}
{%- endmacro %}

{% macro default__parse_iso_date(expression) -%}
    try_cast(nullif(trim({{ expression }}), '') as date)
{%- endmacro %}

{#- date_parse returns a timestamp on Athena: cast it back to a date. -#}
{% macro athena__parse_iso_date(expression) -%}
    try(cast(date_parse(nullif(trim({{ expression }}), ''), '%Y-%m-%d') as date))
{%- endmacro %}

{#- `YYYY-MM-DDTHH:MM`, `YYYY-MM-DDTHH:MM:SS` or the same with a trailing `Z` →
    timestamp without time zone (UTC stays UTC, local stays local: no zone is applied). -#}
{% macro parse_iso_timestamp(expression) -%}
    {{ return(adapter.dispatch('parse_iso_timestamp', 'courtlake')(expression)) }}
{%- endmacro %}

{% macro default__parse_iso_timestamp(expression) -%}
    coalesce(
        try_strptime(trim({{ expression }}), '%Y-%m-%dT%H:%M:%SZ'),
        try_strptime(trim({{ expression }}), '%Y-%m-%dT%H:%M:%S'),
        try_strptime(trim({{ expression }}), '%Y-%m-%dT%H:%M')
    )
{%- endmacro %}

{% macro athena__parse_iso_timestamp(expression) -%}
    coalesce(
        try(date_parse(trim({{ expression }}), '%Y-%m-%dT%H:%i:%sZ')),
        try(date_parse(trim({{ expression }}), '%Y-%m-%dT%H:%i:%s')),
        try(date_parse(trim({{ expression }}), '%Y-%m-%dT%H:%i'))
    )
{%- endmacro %}

{#- Money printed with two decimals (`1234.50`, maybe `$1,234.50`) → decimal(12, 2). -#}
{% macro parse_money(expression) -%}
    {{ courtlake.safe_cast(
        courtlake.regex_replace(expression, '[$,\\s]', ''),
        'decimal(12, 2)'
    ) }}
{%- endmacro %}

{#- A Hive partition value → date. DuckDB infers `scrape_date=2026-11-23` as a DATE,
    the Athena tables declare it as a string: cast explicitly so both agree. -#}
{% macro partition_date(column) -%}
    cast({{ column }} as date)
{%- endmacro %}

{#- Whole-word, trimmed text: blank → null. -#}
{% macro clean_text(expression) -%}
    nullif(trim({{ expression }}), '')
{%- endmacro %}
