-- Party identity across visits: every party listed on every visit of a case,
-- with the stable key that follows the party from visit to visit (the rule is
-- documented in _int_court__models.yml). Also the match audit: match_rule says
-- which rule carried the key to each listing. Rebuilt from the whole visit
-- history on every run, so a full refresh gives the same keys.

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

    select * from {{ ref('int_case_party_forms') }}

),

candidates as (

    -- earlier forms of the case the later form may be (strongest rule first)
    select
        later.form_id,
        later.court,
        later.case_number,
        later.first_seen_date,
        later.first_seen_seq,
        earlier.form_id as earlier_form_id,
        earlier.first_seen_date as earlier_first_seen_date,
        earlier.first_seen_seq as earlier_first_seen_seq,
        case
            when
                later.folded_last_name = earlier.folded_last_name
                and {{ given_names_agree(
                    'later.folded_first_name', 'earlier.folded_first_name'
                ) }}
                then 1
            when
                (
                    length(later.folded_last_name) = 1
                    or length(earlier.folded_last_name) = 1
                )
                and substr(later.folded_last_name, 1, 1)
                = substr(earlier.folded_last_name, 1, 1)
                and {{ given_names_agree(
                    'later.folded_first_name', 'earlier.folded_first_name'
                ) }}
                then 2
            when
                substr(later.folded_first_name, 1, 1)
                = substr(earlier.folded_first_name, 1, 1)
                and length(later.folded_name) >= 5
                and length(earlier.folded_name) >= 5
                and {{ edit_distance(
                    'later.folded_name', 'earlier.folded_name'
                ) }} <= 2
                then 3
        end as rule_rank
    from forms as later
    inner join forms as earlier
        on
            later.court = earlier.court
            and later.case_number = earlier.case_number
            and later.role_family = earlier.role_family
            and later.first_seen_date > earlier.first_seen_date

),

compatible as (

    select * from candidates
    where rule_rank is not null

),

preferred as (

    -- each form's strongest, earliest candidate, whoever is listed
    select
        ranked.form_id,
        ranked.earlier_form_id
    from (
        select
            compatible.form_id,
            compatible.earlier_form_id,
            row_number() over (
                partition by compatible.form_id
                order by
                    compatible.rule_rank,
                    compatible.earlier_first_seen_date,
                    compatible.earlier_first_seen_seq
            ) as preference
        from compatible
    ) as ranked
    where ranked.preference = 1

),

listed as (

    select distinct
        form_id,
        scrape_date
    from keyed_mentions

),

taken as (

    -- forms whose party is still listed on a visit: by the same form, or by an
    -- older form that prefers it
    select
        listed.form_id as taken_form_id,
        listed.scrape_date
    from listed
    union
    select
        preferred.earlier_form_id as taken_form_id,
        listed.scrape_date
    from preferred
    inner join listed
        on preferred.form_id = listed.form_id
    inner join form_dates
        on
            preferred.form_id = form_dates.form_id
            and listed.scrape_date > form_dates.first_seen_date

),

free_candidates as (

    select compatible.*
    from compatible
    left join taken
        on
            compatible.earlier_form_id = taken.taken_form_id
            and compatible.first_seen_date = taken.scrape_date
    where taken.taken_form_id is null

),

best_candidates as (

    select
        ranked.*,
        row_number() over (
            partition by ranked.earlier_form_id, ranked.first_seen_date
            order by
                ranked.rule_rank,
                abs(ranked.first_seen_seq - ranked.earlier_first_seen_seq),
                ranked.first_seen_seq
        ) as claim_rank
    from (
        select
            free_candidates.*,
            row_number() over (
                partition by free_candidates.form_id
                order by
                    free_candidates.rule_rank,
                    free_candidates.earlier_first_seen_date,
                    free_candidates.earlier_first_seen_seq
            ) as candidate_rank,
            count(*) over (
                partition by free_candidates.form_id, free_candidates.rule_rank
            ) as rule_candidates
        from free_candidates
    ) as ranked
    where ranked.candidate_rank = 1

),

carried as (

    -- one earlier form per form (or none: a new party), with the rule
    select
        forms.*,
        case
            when best_candidates.claim_rank = 1
                then best_candidates.earlier_form_id
        end as carried_from_form_id,
        case
            when best_candidates.claim_rank = 1
                then best_candidates.rule_rank
        end as rule_rank,
        coalesce(
            best_candidates.rule_candidates > 1
            or best_candidates.claim_rank > 1,
            false
        ) as is_ambiguous
    from forms
    left join best_candidates
        on forms.form_id = best_candidates.form_id

),

anchored as (

    -- follow the carry two steps back (a form carried from a form that was
    -- itself carried); a longer chain is flagged
    select
        carried.*,
        coalesce(
            previous.carried_from_form_id,
            carried.carried_from_form_id,
            carried.form_id
        ) as anchor_form_id,
        previous.carried_from_form_id is not null
        and previous_anchor.carried_from_form_id is not null as is_long_chain
    from carried
    left join carried as previous
        on carried.carried_from_form_id = previous.form_id
    left join carried as previous_anchor
        on previous.carried_from_form_id = previous_anchor.form_id

),

anchor_keys as (

    -- an anchor keeps the position key it was first seen at (the key every
    -- party had before identity was tracked); a later anchor first seen at a
    -- position an earlier one already holds adds its first-seen date
    select
        ranked.form_id,
        case
            when ranked.position_rank = 1
                then {{ surrogate_key([
                    'ranked.court', 'ranked.case_number', 'ranked.first_seen_seq'
                ]) }}
            else {{ surrogate_key([
                'ranked.court',
                'ranked.case_number',
                'ranked.first_seen_seq',
                'ranked.first_seen_date'
            ]) }}
        end as party_key
    from (
        select
            anchored.*,
            row_number() over (
                partition by
                    anchored.court,
                    anchored.case_number,
                    anchored.first_seen_seq
                order by
                    case
                        when anchored.carried_from_form_id is null then 0
                        else 1
                    end,
                    anchored.first_seen_date
            ) as position_rank
        from anchored
    ) as ranked

),

final as (

    select
        anchor_keys.party_key,
        {{ surrogate_key([
            'keyed_mentions.court',
            'keyed_mentions.case_number',
            'keyed_mentions.party_seq'
        ]) }} as position_key,
        keyed_mentions.court,
        keyed_mentions.case_number,
        keyed_mentions.party_role,
        keyed_mentions.role_family,
        keyed_mentions.party_name,
        case
            when keyed_mentions.scrape_date > anchored.first_seen_date
                then 'same_name'
            when anchored.carried_from_form_id is null then 'first_seen'
            when anchored.rule_rank = 1 then 'name_variant'
            when anchored.rule_rank = 2 then 'initials'
            else 'spelling'
        end as match_rule,
        carried_from.first_seen_name as carried_from_name,
        keyed_mentions.party_seq,
        anchored.is_ambiguous,
        anchored.is_long_chain,
        keyed_mentions.scrape_date
    from keyed_mentions
    inner join anchored
        on keyed_mentions.form_id = anchored.form_id
    inner join anchor_keys
        on anchored.anchor_form_id = anchor_keys.form_id
    left join forms as carried_from
        on anchored.carried_from_form_id = carried_from.form_id

)

select * from final
