-- Pretrial length of stay by top charge (degree + class): bookings, how many
-- are still held pretrial, and the mean and median days detained pretrial.

with

detentions as (

    select * from {{ ref('fct_pretrial_detentions') }}

),

final as (

    select
        coalesce(top_charge_label, 'No charges listed') as top_charge,
        count(*) as booking_count,
        sum(
            case when is_still_pretrial then 1 else 0 end
        ) as still_pretrial_count,
        avg(cast(days_detained_pretrial as double)) as mean_days_pretrial,
        {{ median('days_detained_pretrial') }} as median_days_pretrial,
        max(days_detained_pretrial) as max_days_pretrial
    from detentions
    group by coalesce(top_charge_label, 'No charges listed')

)

select * from final
order by mean_days_pretrial desc
