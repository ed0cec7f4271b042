from extraction.scoring import same_value, score_document


def test_same_value_rounding():
    assert same_value(17.24, 17)
    assert same_value(2.0, 2)
    assert not same_value(17.6, 17)


def test_score_document_arm_matching():
    gold = {
        "arms": [{"arm": "PSP + RFA", "n_patients": 51, "n_lesions": 58, "label_variants": ["group A"]}],
        "values": [{"arm": "PSP + RFA", "outcome": "pain", "field": "mean", "value": 7.43}],
    }
    arms = [{"arm_id": "psp_rfa", "label": "PSP + RFA", "n_patients": 51, "n_lesions": ""}]
    outs = [{"arm_id": "psp_rfa", "outcome": "pain", "field": "mean", "value": 7.43},
            {"arm_id": "psp_rfa", "outcome": "pain", "field": "sd", "value": 1.5}]
    r = score_document(gold, arms, outs)
    assert len(r["tp_extracted"]) == 2 and len(r["fp"]) == 1
    assert len(r["matched_gold"]) == 2 and len(r["missed"]) == 1
