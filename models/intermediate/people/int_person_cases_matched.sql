-- People linked to court cases, one row per person and case, with how they were
-- linked: `exact_name_dob` when a party of the case resolves to the person (or
-- the person-history search found the case under the same folded name + DOB);
-- `alias_dob` / `soundex_dob` when the search found it under another name with
-- the same DOB. The strongest rule wins. A search's person (ingest's
-- person_key: a name + DOB key) is the person that name + DOB resolves to in
-- int_person_mentions_resolved (a permanent-id person when one of its bookings
-- prints it); a key that resolves to two people links nothing.

with

mentions as (

    select * from {{ ref('int_person_mentions_resolved') }}

),

candidates as (

    select * from {{ ref('stg_court__person_case_candidates') }}

),

cases as (

    select * from {{ ref('int_cases_classified') }}

),

key_people as (

    select
        name_dob_key,
        min(person_id) as person_id,
        count(distinct person_id) as person_count
    from mentions
    where name_dob_key is not null and person_id is not null
    group by name_dob_key

),

candidate_people as (

    select
        coalesce(key_people.person_id, candidates.person_id) as person_id,
        candidates.court,
        candidates.case_number,
        candidates.party_name,
        candidates.match_rule
    from candidates
    left join key_people
        on candidates.person_id = key_people.name_dob_key
    where
        candidates.person_id is not null
        and coalesce(key_people.person_count, 1) = 1

),

links as (

    select
        person_id,
        court,
        case_number,
        raw_name as party_name,
        'exact_name_dob' as match_rule,
        'court_party' as link_source
    from mentions
    where person_id is not null and source_type = 'court_party'

    union all

    select
        person_id,
        court,
        case_number,
        party_name,
        match_rule,
        'person_case_candidates' as link_source
    from candidate_people

),

ranked as (

    select
        links.*,
        row_number() over (
            partition by links.person_id, links.court, links.case_number
            order by
                case links.match_rule
                    when 'exact_name_dob' then 1
                    when 'alias_dob' then 2
                    else 3
                end,
                links.link_source
        ) as link_rank
    from links

),

final as (

    select
        {{ surrogate_key([
            'ranked.person_id', 'ranked.court', 'ranked.case_number'
        ]) }} as person_case_id,
        ranked.person_id,
        cases.case_id,
        ranked.court,
        ranked.case_number,
        ranked.party_name,
        ranked.match_rule,
        ranked.link_source,
        cases.case_kind,
        cases.filed_date
    from ranked
    inner join cases
        on
            ranked.court = cases.court
            and ranked.case_number = cases.case_number
    where ranked.link_rank = 1

)

select * from final
