-- Every appearance of a person, resolved to a person: jail bookings and the
-- parties with a DOB (criminal defendants) of each case's latest version.
-- * A booking with a permanent id is the person of that id (match_rule
--   permanent_id), whatever name or date of birth it prints.
-- * Any other appearance is resolved by folded last + first name and date of
--   birth (name_dob_key, macros/names.sql: accents, case and punctuation do not
--   matter; middle names and suffixes are ignored): to the permanent-id person
--   one of whose bookings prints that name + DOB, else to the name + DOB person
--   (exact_name_dob); a name + DOB printed on bookings of two permanent ids
--   stays unresolved (ambiguous_name_dob).
-- * Names reduced to initials (`S., J.`, `Smith, J.`) and names without a first
--   name (businesses, "ALL OTHER OCCUPANTS") stay unresolved; match_rule says
--   why. Court parties without a DOB (tenants) are not mentions.

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
        stays.booking_key,
        stays.permanent_id,
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
        cast(null as varchar) as booking_key,
        cast(null as varchar) as permanent_id,
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

keyed as (

    select
        folded.*,
        {{ person_id(
            'folded.folded_last_name',
            'folded.folded_first_name',
            'folded.birth_date'
        ) }} as name_dob_key,
        {{ is_initials_only(
            'folded.folded_last_name', 'folded.folded_first_name'
        ) }} as is_initials_only
    from folded

),

key_owners as (

    -- the permanent ids whose bookings print each name + DOB
    select
        name_dob_key,
        count(distinct permanent_id) as owner_count,
        min(permanent_id) as permanent_id
    from keyed
    where permanent_id is not null and name_dob_key is not null
    group by name_dob_key

),

resolved as (

    select
        keyed.*,
        case
            when keyed.permanent_id is not null then 'permanent_id'
            when key_owners.owner_count > 1 then 'ambiguous_name_dob'
            when keyed.name_dob_key is not null then 'exact_name_dob'
            when keyed.is_initials_only then 'initials_only'
            when length(keyed.folded_first_name) = 0 then 'not_a_person_name'
            when length(keyed.folded_last_name) = 0 then 'not_a_person_name'
            else 'no_birth_date'
        end as match_rule,
        case
            when keyed.permanent_id is not null then keyed.permanent_id
            when key_owners.owner_count = 1 then key_owners.permanent_id
        end as resolved_permanent_id
    from keyed
    left join key_owners
        on keyed.name_dob_key = key_owners.name_dob_key

),

final as (

    select
        {{ surrogate_key([
            'source_type', 'booking_key', 'court', 'case_number', 'party_seq'
        ]) }} as mention_id,
        case
            when resolved_permanent_id is not null
                then {{ permanent_person_id('resolved_permanent_id') }}
            when match_rule = 'exact_name_dob' then name_dob_key
        end as person_id,
        name_dob_key,
        source_type,
        booking_key,
        permanent_id,
        resolved_permanent_id,
        court,
        case_number,
        party_seq,
        party_role,
        raw_name,
        last_name,
        first_name,
        folded_last_name,
        folded_first_name,
        match_rule,
        is_initials_only,
        birth_date,
        seen_date
    from resolved

)

select * from final
