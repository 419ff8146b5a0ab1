{#- The combination of `combination_of_columns` is unique over the model (null-safe:
    rows are grouped on the values as they are). Fails with one row per duplicate. In
    `dbt build` on an incremental model, the combinations this run wrote are counted over
    the whole table (see default__test_unique in macros/data_tests.sql). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

{%- set scoped = courtlake.tests_rows_written_by_this_run() %}

with

{% if scoped -%}
this_run as (

    select distinct {{ combination_of_columns | join(', ') }} from {{ model }}

),

{% endif -%}
grouped as (

    select
        {%- for column in combination_of_columns %}
        tested.{{ column }},
        {%- endfor %}
        count(*) as row_count
    {%- if scoped %}
    from {{ courtlake.tested_relation() }} as tested
    inner join this_run
        on
        {%- for column in combination_of_columns %}
            {% if not loop.first %}and {% endif -%}
            tested.{{ column }} is not distinct from this_run.{{ column }}
        {%- endfor %}
    {%- else %}
    from (select * from {{ model }}) as tested
    {%- endif %}
    group by
        {%- for column in combination_of_columns %}
        tested.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}

),

final as (

    select * from grouped where row_count > 1

)

select * from final

{% endtest %}
