//! Tables with their column names (issue 13 item 2): a row of a CSV or a sheet whose
//! first row is a header is one line naming each cell, so a question about that row's
//! meaning finds it, and its quote reads alone.

use crate::common::*;
use folio_core::DocumentStage;

/// Iowa's net electricity generation by source, 2001-2017: `iowa-electricity.csv` of the
/// vega_datasets package (real public data from the U.S. EIA), copied whole.
const IOWA: &str = "year,source,net_generation
2001-01-01,Fossil Fuels,35361
2002-01-01,Fossil Fuels,35991
2003-01-01,Fossil Fuels,36234
2004-01-01,Fossil Fuels,36205
2005-01-01,Fossil Fuels,36883
2006-01-01,Fossil Fuels,37014
2007-01-01,Fossil Fuels,41389
2008-01-01,Fossil Fuels,42734
2009-01-01,Fossil Fuels,38620
2010-01-01,Fossil Fuels,42750
2011-01-01,Fossil Fuels,39361
2012-01-01,Fossil Fuels,37379
2013-01-01,Fossil Fuels,34873
2014-01-01,Fossil Fuels,35250
2015-01-01,Fossil Fuels,32319
2016-01-01,Fossil Fuels,28437
2017-01-01,Fossil Fuels,29329
2001-01-01,Nuclear Energy,3853
2002-01-01,Nuclear Energy,4574
2003-01-01,Nuclear Energy,3988
2004-01-01,Nuclear Energy,4929
2005-01-01,Nuclear Energy,4538
2006-01-01,Nuclear Energy,5095
2007-01-01,Nuclear Energy,4519
2008-01-01,Nuclear Energy,5282
2009-01-01,Nuclear Energy,4679
2010-01-01,Nuclear Energy,4451
2011-01-01,Nuclear Energy,5215
2012-01-01,Nuclear Energy,4347
2013-01-01,Nuclear Energy,5321
2014-01-01,Nuclear Energy,4152
2015-01-01,Nuclear Energy,5243
2016-01-01,Nuclear Energy,4703
2017-01-01,Nuclear Energy,5214
2001-01-01,Renewables,1437
2002-01-01,Renewables,1963
2003-01-01,Renewables,1885
2004-01-01,Renewables,2102
2005-01-01,Renewables,2724
2006-01-01,Renewables,3364
2007-01-01,Renewables,3870
2008-01-01,Renewables,5070
2009-01-01,Renewables,8560
2010-01-01,Renewables,10308
2011-01-01,Renewables,11795
2012-01-01,Renewables,14949
2013-01-01,Renewables,16476
2014-01-01,Renewables,17452
2015-01-01,Renewables,19091
2016-01-01,Renewables,21241
2017-01-01,Renewables,21933
";

#[test]
fn rows_under_a_header_are_read_with_their_column_names_and_found_by_them() {
    let files = tempfile::tempdir().unwrap();
    let f = |n: &str| files.path().join(n);
    std::fs::write(f("iowa-electricity.csv"), IOWA).unwrap();
    // The same numbers without a header stay tab-separated cells.
    std::fs::write(f("bare.csv"), IOWA.split_once('\n').unwrap().1).unwrap();
    let sales: Vec<Vec<String>> = [
        ["Region", "Quarter", "Revenue"],
        ["North", "Q3", "1.2 M"],
        ["South", "Q3", "0.8 M"],
        ["North", "Q4", "1.5 M"],
    ]
    .iter()
    .map(|r| r.iter().map(|c| c.to_string()).collect())
    .collect();
    make_xlsx(&f("sales.xlsx"), &[("Sales", sales)]);
    std::fs::write(f("memo.txt"), "The northern region had a strong quarter; revenue notes follow next year.\n")
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let engine = open(dir.path());
    let names = ["iowa-electricity.csv", "sales.xlsx", "memo.txt"];
    let conversation = ingest(&engine, &names.iter().map(|n| f(n)).collect::<Vec<_>>());
    // Apart: the same numbers twice would only compete with each other in the search below.
    let bare_conversation = ingest(&engine, &[f("bare.csv")]);
    for doc in &conversation.documents {
        assert_eq!(doc.stage, DocumentStage::Ready, "{doc:#?}");
    }
    let pages_of = |name: &str| engine.store().pages(doc_named(&conversation, name).id).unwrap();

    let iowa = pages_of("iowa-electricity.csv");
    assert_eq!(iowa.len(), 1);
    assert_eq!(iowa[0].label.as_deref(), Some("rows 2-52"));
    let lines: Vec<&str> = iowa[0].text.lines().collect();
    assert_eq!(lines.len(), 51, "the header is not a row of its own");
    assert_eq!(lines[0], "year: 2001-01-01; source: Fossil Fuels; net_generation: 35361");
    assert_eq!(lines[50], "year: 2017-01-01; source: Renewables; net_generation: 21933");
    let bare = engine.store().pages(bare_conversation.documents[0].id).unwrap();
    assert_eq!(bare[0].text.lines().next(), Some("2001-01-01\tFossil Fuels\t35361"));
    assert_eq!(bare[0].label.as_deref(), Some("rows 1-51"));
    let sheet = pages_of("sales.xlsx");
    assert_eq!(sheet[0].label.as_deref(), Some("sheet Sales, rows 2-4"));
    assert_eq!(sheet[0].text, "Region: North; Quarter: Q3; Revenue: 1.2 M\nRegion: South; Quarter: Q3; Revenue: 0.8 M\nRegion: North; Quarter: Q4; Revenue: 1.5 M\n");

    // Questions about a row's meaning find its table first, and the row whole in one of
    // the top passages (keyword search: the column names are in every row, so the
    // values pick the passage).
    let questions = [
        (
            "net generation from renewables in 2016",
            "iowa-electricity.csv",
            "year: 2016-01-01; source: Renewables; net_generation: 21241",
        ),
        (
            "nuclear energy generation in 2010",
            "iowa-electricity.csv",
            "year: 2010-01-01; source: Nuclear Energy; net_generation: 4451",
        ),
        ("revenue of the North region in quarter Q4", "sales.xlsx", "Region: North; Quarter: Q4; Revenue: 1.5 M"),
        ("South region quarter revenue", "sales.xlsx", "Region: South; Quarter: Q3; Revenue: 0.8 M"),
    ];
    for (question, document, row) in questions {
        let hits = engine.search(&conversation.id, question, None, 5).unwrap();
        let first = hits.first().unwrap_or_else(|| panic!("{question}: no hits"));
        assert_eq!(first.document_name, document, "{question}: {hits:#?}");
        assert!(
            hits.iter().take(3).any(|h| h.document_name == document && h.text.lines().any(|l| l == row)),
            "{question}: {row:?} not whole in the top passages: {hits:#?}"
        );
    }
}
