-- Each form of a case's parties at its first sighting. Split from
-- int_case_parties_identified so that its query plans in few stages on Athena.

with

keyed_mentions as (

    select * from {{ ref('int_case_party_mentions') }}

),

form_dates as (

    select
        form_id,
        min(scrape_date) as first_seen_date
    from keyed_mentions
    group by form_id

),

forms as (

    -- each form at its first sighting
    select
        keyed_mentions.form_id,
        keyed_mentions.court,
        keyed_mentions.case_number,
        keyed_mentions.role_family,
        keyed_mentions.folded_name,
        keyed_mentions.folded_last_name,
        keyed_mentions.folded_first_name,
        keyed_mentions.party_name as first_seen_name,
        keyed_mentions.party_seq as first_seen_seq,
        keyed_mentions.scrape_date as first_seen_date
    from keyed_mentions
    inner join form_dates
        on
            keyed_mentions.form_id = form_dates.form_id
            and keyed_mentions.scrape_date = form_dates.first_seen_date

)

select * from forms
