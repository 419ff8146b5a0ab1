{#- Intermediate jail models: the child rows (charges, bonds) a booking's current
    person page lists. The child staging models keep a booking's older rows when a
    later page lists none; the current page's rows are those of the booking's own
    latest scrape_date. `rows`: a CTE over a jail child staging model; `bookings`: a
    CTE over stg_jail__bookings. -#}
{% macro current_page_rows(rows, bookings) -%}
    select {{ rows }}.*
    from {{ rows }}
    inner join {{ bookings }}
        on
            {{ rows }}.booking_key = {{ bookings }}.booking_key
            and {{ rows }}.scrape_date = {{ bookings }}.scrape_date
{%- endmacro %}
