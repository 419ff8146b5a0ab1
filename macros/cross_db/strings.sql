{#- String aggregation and name folding. -#}

{#- Values of `expression` in a group, joined by `delimiter`, ordered by `order_by`. -#}
{% macro string_agg_ordered(expression, delimiter, order_by) -%}
    {{ return(adapter.dispatch('string_agg_ordered', 'courtlake')(expression, delimiter, order_by)) }}
{%- endmacro %}

{% macro default__string_agg_ordered(expression, delimiter, order_by) -%}
    string_agg({{ expression }}, '{{ delimiter }}' order by {{ order_by }})
{%- endmacro %}

{% macro athena__string_agg_ordered(expression, delimiter, order_by) -%}
    array_join(array_agg({{ expression }} order by {{ order_by }}), '{{ delimiter }}')
{%- endmacro %}

{#- Accent-, case- and punctuation-insensitive form of a name: the SQL twin of
    `ingest.names.fold` (NFKD, drop combining marks, keep letters and digits, lower):
    `O'Néal-Smith` → `onealsmith`. -#}
{% macro fold(expression) -%}
    {{ return(adapter.dispatch('fold', 'courtlake')(expression)) }}
{%- endmacro %}

{% macro default__fold(expression) -%}
    regexp_replace(
        lower(strip_accents({{ expression }})), '[^\p{L}\p{N}]', '', 'g'
    )
{%- endmacro %}

{% macro athena__fold(expression) -%}
    lower(regexp_replace(normalize({{ expression }}, NFKD), '[^\p{L}\p{N}]', ''))
{%- endmacro %}

{#- The text before / after the last `delimiter` (one character) in `expression`; null
    when it has none or that text is empty. Plain string functions, the same on both
    engines (a regex with a greedy `^(.*)` backtracks on every row). -#}
{% macro before_last(expression, delimiter) -%}
    case
        when strpos({{ expression }}, '{{ delimiter }}') > 0
            then nullif(substr(
                {{ expression }},
                1,
                {{ courtlake.last_position(expression, delimiter) }} - 1
            ), '')
    end
{%- endmacro %}

{% macro after_last(expression, delimiter) -%}
    case
        when strpos({{ expression }}, '{{ delimiter }}') > 0
            then nullif(substr(
                {{ expression }},
                {{ courtlake.last_position(expression, delimiter) }} + 1
            ), '')
    end
{%- endmacro %}

{#- Position (from 1) of the last `delimiter` in `expression`; only where it has one. -#}
{% macro last_position(expression, delimiter) -%}
    (length({{ expression }}) - strpos(reverse({{ expression }}), '{{ delimiter }}') + 1)
{%- endmacro %}
