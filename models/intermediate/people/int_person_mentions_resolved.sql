-- Every appearance of a person with a date of birth, resolved to a person: jail
-- bookings and the parties with a DOB (criminal defendants) of each case's
-- latest version. person_id is a hash of the folded last + first name and the
-- date of birth (macros/names.sql), the same for a jail booking and a court
-- party of the same person: accents, case and punctuation do not matter; middle
-- names and suffixes are ignored; a different date of birth is a different
-- person. Names reduced to initials (`S., J.`, `Smith, J.`) and names without a
-- first name (businesses, "ALL OTHER OCCUPANTS") stay unresolved; match_rule
-- says why. Court parties without a DOB (tenants) are not mentions.

with

stays as (

    select * from {{ ref('int_booking_stays_derived') }}

),

parties as (

    select * from {{ ref('stg_court__parties') }}

),

cases as (

    select * from {{ ref('stg_court__cases') }}

),

jail_mentions as (

    select
        'jail_booking' as source_type,
        stays.booking_number,
        cast(null as varchar) as court,
        cast(null as varchar) as case_number,
        cast(null as integer) as party_seq,
        cast(null as varchar) as party_role,
        stays.person_name as raw_name,
        stays.birth_date,
        stays.last_seen_date as seen_date
    from stays
    where stays.person_name is not null

),

court_mentions as (

    select
        'court_party' as source_type,
        cast(null as varchar) as booking_number,
        parties.court,
        parties.case_number,
        parties.party_seq,
        parties.party_role,
        parties.party_name as raw_name,
        parties.birth_date,
        parties.scrape_date as seen_date
    from parties
    inner join cases
        on
            parties.court = cases.court
            and parties.case_number = cases.case_number
            and parties.scrape_date = cases.scrape_date
    where parties.party_name is not null and parties.birth_date is not null

),

mentions as (

    select * from jail_mentions
    union all
    select * from court_mentions

),

parsed as (

    select
        mentions.*,
        {{ name_last('mentions.raw_name') }} as last_name,
        {{ name_first('mentions.raw_name') }} as first_name
    from mentions

),

folded as (

    select
        parsed.*,
        {{ fold('parsed.last_name') }} as folded_last_name,
        {{ fold('parsed.first_name') }} as folded_first_name
    from parsed

),

resolved as (

    select
        folded.*,
        {{ person_id(
            'folded.folded_last_name',
            'folded.folded_first_name',
            'folded.birth_date'
        ) }} as person_id,
        {{ is_initials_only(
            'folded.folded_last_name', 'folded.folded_first_name'
        ) }} as is_initials_only
    from folded

),

final as (

    select
        {{ surrogate_key([
            'source_type', 'booking_number', 'court', 'case_number', 'party_seq'
        ]) }} as mention_id,
        person_id,
        source_type,
        booking_number,
        court,
        case_number,
        party_seq,
        party_role,
        raw_name,
        last_name,
        first_name,
        folded_last_name,
        folded_first_name,
        case
            when person_id is not null then 'exact_name_dob'
            when is_initials_only then 'initials_only'
            when length(folded_first_name) = 0 then 'not_a_person_name'
            when length(folded_last_name) = 0 then 'not_a_person_name'
            else 'no_birth_date'
        end as match_rule,
        is_initials_only,
        birth_date,
        seen_date
    from resolved

)

select * from final
