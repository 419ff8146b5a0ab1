-- Pretrial length of stay by top charge (degree + class, from the printed grade
-- and degree through the charge class seed): bookings whose stay began
-- pretrial, how many are still held pretrial, the mean and median days
-- detained pretrial, and the mean for completed pretrial detentions (ended by
-- a conviction or a release, whose dates come from the person page or the
-- roster's released listing).

with

detentions as (

    select * from {{ ref('fct_pretrial_detentions') }}

),

labelled as (

    select
        detentions.*,
        coalesce(
            detentions.top_charge_label, 'No classified charge'
        ) as top_charge
    from detentions
    where detentions.days_detained_pretrial is not null

),

final as (

    select
        top_charge,
        count(*) as booking_count,
        sum(
            case when is_still_pretrial then 1 else 0 end
        ) as still_pretrial_count,
        avg(cast(days_detained_pretrial as double)) as mean_days_pretrial,
        {{ median('days_detained_pretrial') }} as median_days_pretrial,
        avg(
            case
                when pretrial_end_date is not null
                    then cast(days_detained_pretrial as double)
            end
        ) as mean_days_pretrial_completed,
        max(days_detained_pretrial) as max_days_pretrial
    from labelled
    group by top_charge

)

select * from final
order by mean_days_pretrial desc
