{#- Every row satisfies `expression` (a boolean SQL expression over the model's columns).
    Fails with the rows that do not. -#}
{% test expression_is_true(model, expression) %}

with

final as (

    select * from {{ model }}
    where not coalesce(({{ expression }}), false)

)

select * from final

{% endtest %}
