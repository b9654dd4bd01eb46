"""Every user-facing string in English and Bahasa Indonesia, in one table.

`translator(lang)` returns a function that looks a key up and fills `{placeholders}`. A test checks
that both languages are complete and use the same placeholders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
from babel import dates, numbers

LANGUAGES = {"en": "English", "id": "Bahasa Indonesia"}

STRINGS: dict[str, dict[str, str]] = {
    # Navigation and sidebar
    "app_title": {"en": "Tierscope", "id": "Tierscope"},
    "app_tagline": {"en": "Creator rosters by follower tier", "id": "Roster kreator per tier pengikut"},
    "page_roster": {"en": "Roster", "id": "Roster"},
    "page_tiers": {"en": "Tiers", "id": "Tier"},
    "page_engagement": {"en": "Engagement", "id": "Engagement"},
    "page_tradeoffs": {"en": "Tradeoffs", "id": "Jangkauan vs biaya"},
    "language": {"en": "Language", "id": "Bahasa"},
    "scheme": {"en": "Tier scheme", "id": "Skema tier"},
    "norms": {"en": "Engagement norms", "id": "Norma engagement"},
    "filters": {"en": "Filters (every page)", "id": "Filter (semua halaman)"},
    "filter_all": {"en": "All", "id": "Semua"},
    "upload": {"en": "Upload a roster (CSV, TSV, XLSX, XLS, ODS)",
               "id": "Unggah roster (CSV, TSV, XLSX, XLS, ODS)"},
    "using_sample": {"en": "Showing the bundled sample roster until you upload your own.",
                     "id": "Menampilkan roster contoh sampai Anda mengunggah roster sendiri."},
    "sheet": {"en": "Sheet", "id": "Sheet"},
    "other_roster_sheets": {"en": "Sheet(s) {sheets} also hold a follower column; this is '{sheet}' alone. Choose "
                                  "\"All roster sheets\" below to read them together (a sheet named after a "
                                  "platform gives its creators that platform).",
                            "id": "Sheet {sheets} juga berisi kolom followers; ini hanya '{sheet}'. Pilih \"Semua "
                                  "sheet roster\" di bawah untuk membacanya bersama (sheet yang dinamai platform "
                                  "memberi kreatornya platform itu)."},
    "all_roster_sheets": {"en": "All roster sheets ({count})", "id": "Semua sheet roster ({count})"},
    "roster_all_sheets": {"en": "sheets {sheets}, read together", "id": "sheet {sheets}, dibaca bersama"},
    "field_sheet": {"en": "Sheet", "id": "Sheet"},
    "scheme_source": {"en": "Source: {source} ({year})", "id": "Sumber: {source} ({year})"},
    "no_roster": {"en": "No creators to show: fix the roster on the Roster page.",
                  "id": "Tidak ada kreator untuk ditampilkan: perbaiki roster di halaman Roster."},
    # Roster page
    "roster_file": {"en": "File: {name}", "id": "Berkas: {name}"},
    "roster_sheet_header": {"en": "sheet '{sheet}', header on row {row}",
                            "id": "sheet '{sheet}', judul kolom di baris {row}"},
    "roster_header": {"en": "header on row {row}", "id": "judul kolom di baris {row}"},
    "count_read": {"en": "Rows read", "id": "Baris dibaca"},
    "count_ok": {"en": "Creators classified", "id": "Kreator terklasifikasi"},
    "count_rejected": {"en": "Rejected", "id": "Ditolak"},
    "count_not_creators": {"en": "Blank / total rows", "id": "Baris kosong / total"},
    "mapping_title": {"en": "Column mapping", "id": "Pemetaan kolom"},
    "mapping_help": {"en": "Which column of your sheet holds each field. Correct any wrong guess here.",
                     "id": "Kolom mana di sheet Anda yang berisi tiap data. Perbaiki tebakan yang salah di sini."},
    "mapping_none": {"en": "(none)", "id": "(tidak ada)"},
    "mapping_ambiguous": {"en": "Several columns could hold {field}: {headers}. Using '{chosen}'; change it under "
                                "Column mapping if that is wrong.",
                          "id": "Beberapa kolom bisa berisi {field}: {headers}. Memakai '{chosen}'; ubah di "
                                "Pemetaan kolom jika salah."},
    "mapping_wide": {"en": "Wide layout: one row per creator with a column group per platform. Read as one "
                           "creator per platform from: {columns}",
                     "id": "Tata letak lebar: satu baris per kreator dengan kolom per platform. Dibaca sebagai "
                           "satu kreator per platform dari: {columns}"},
    "platform_of_all": {"en": "Platform of every creator (no platform column)",
                        "id": "Platform semua kreator (tanpa kolom platform)"},
    "platform_of_all_note": {"en": "The sheet has no platform column: every creator is read as {platform}, "
                                   "as its headers suggest. Change it under Column mapping.",
                             "id": "Sheet ini tidak punya kolom platform: semua kreator dibaca sebagai {platform}, "
                                   "sesuai judul kolomnya. Ubah di Pemetaan kolom."},
    "platform_unknown_note": {"en": "The sheet has no platform column and its headers name no platform, so "
                                    "creators are read as platform Other and only all-platform norms apply. "
                                    "Choose their platform under Column mapping.",
                              "id": "Sheet ini tidak punya kolom platform dan judul kolomnya tidak menyebut platform, "
                                    "jadi kreator dibaca sebagai platform Lainnya dan hanya norma semua platform "
                                    "yang berlaku. Pilih platformnya di Pemetaan kolom."},
    "header_units": {"en": "Numbers read in the unit their column header states: {columns}. A cell that writes "
                           "its own unit (12.5K) keeps it.",
                     "id": "Angka dibaca dalam satuan yang disebut judul kolomnya: {columns}. Sel yang menulis "
                           "satuannya sendiri (12,5rb) tetap memakainya."},
    "mapping_exact": {"en": "Guessed: the header is a known name for this field.",
                      "id": "Tebakan: judul kolom adalah nama yang dikenal untuk data ini."},
    "mapping_partial": {"en": "Guessed: the header contains a known name for this field; check it.",
                        "id": "Tebakan: judul kolom memuat nama yang dikenal untuk data ini; periksa."},
    "download_mapping": {"en": "Download this mapping (JSON, for the command line)",
                         "id": "Unduh pemetaan ini (JSON, untuk command line)"},
    "rejected_title": {"en": "Rejected rows and why", "id": "Baris yang ditolak dan alasannya"},
    "rejected_none": {"en": "Every creator row was read.", "id": "Semua baris kreator terbaca."},
    "warnings_title": {"en": "Classified with a warning ({count})", "id": "Diklasifikasi dengan catatan ({count})"},
    "warnings_help": {"en": "These creators are classified, but a cell was left blank because it could not be read, "
                            "or a value looks wrong. Fix the sheet and upload it again if it matters.",
                      "id": "Kreator ini tetap diklasifikasi, tetapi ada sel yang dikosongkan karena tidak terbaca, "
                            "atau nilainya janggal. Perbaiki sheet lalu unggah lagi bila perlu."},
    "download_rejected": {"en": "Download rejected rows (CSV)", "id": "Unduh baris yang ditolak (CSV)"},
    "download_classified": {"en": "Download classified roster (CSV)", "id": "Unduh roster terklasifikasi (CSV)"},
    "table_page": {"en": "Page (of {pages})", "id": "Halaman (dari {pages})"},
    "table_rows": {"en": "Rows {first}–{last} of {total}", "id": "Baris {first}–{last} dari {total}"},
    "table_title": {"en": "Classified creators", "id": "Kreator terklasifikasi"},
    "read_error": {"en": "This file could not be read: {message}", "id": "Berkas ini tidak dapat dibaca: {message}"},
    "mapping_error": {"en": "{message}", "id": "{message}"},
    # Fields
    "field_handle": {"en": "Handle", "id": "Akun"},
    "field_name": {"en": "Name", "id": "Nama"},
    "field_platform": {"en": "Platform", "id": "Platform"},
    "field_followers": {"en": "Followers", "id": "Pengikut"},
    "field_likes": {"en": "Likes (avg)", "id": "Suka (rata-rata)"},
    "field_comments": {"en": "Comments (avg)", "id": "Komentar (rata-rata)"},
    "field_shares": {"en": "Shares (avg)", "id": "Dibagikan (rata-rata)"},
    "field_saves": {"en": "Saves (avg)", "id": "Disimpan (rata-rata)"},
    "field_views": {"en": "Views (avg)", "id": "Tayangan (rata-rata)"},
    "field_engagements": {"en": "Engagements (avg)", "id": "Engagement (rata-rata)"},
    "field_engagement_rate": {"en": "Engagement rate", "id": "Engagement rate"},
    "field_fee": {"en": "Rate card", "id": "Harga (rate card)"},
    "field_niche": {"en": "Niche", "id": "Kategori"},
    "field_city": {"en": "City", "id": "Kota"},
    "field_nano_type": {"en": "Native / non-native", "id": "Native / non-native"},
    "field_tier": {"en": "Tier", "id": "Tier"},
    "field_source_row": {"en": "Row", "id": "Baris"},
    "field_reason": {"en": "Reason", "id": "Alasan"},
    "field_warning": {"en": "Warning", "id": "Catatan"},
    "field_verdict": {"en": "Against norm", "id": "Dibanding norma"},
    "field_norm": {"en": "Norm band", "id": "Rentang norma"},
    "field_expected_engagements": {"en": "Expected engagements", "id": "Perkiraan engagement"},
    "field_reach": {"en": "Reach", "id": "Jangkauan"},
    "field_cpe": {"en": "Cost per engagement", "id": "Biaya per engagement"},
    "field_creators": {"en": "Creators", "id": "Kreator"},
    "field_share": {"en": "Share of roster", "id": "Porsi roster"},
    # Tiers, platforms, verdicts
    "tier_nano": {"en": "Nano", "id": "Nano"},
    "tier_micro": {"en": "Micro", "id": "Mikro"},
    "tier_mid": {"en": "Mid-tier", "id": "Menengah"},
    "tier_macro": {"en": "Macro", "id": "Makro"},
    "tier_mega": {"en": "Mega", "id": "Mega"},
    "platform_instagram": {"en": "Instagram", "id": "Instagram"},
    "platform_tiktok": {"en": "TikTok", "id": "TikTok"},
    "platform_youtube": {"en": "YouTube", "id": "YouTube"},
    "platform_facebook": {"en": "Facebook", "id": "Facebook"},
    "platform_x": {"en": "X", "id": "X"},
    "platform_other": {"en": "Other", "id": "Lainnya"},
    "verdict_below": {"en": "Below norm", "id": "Di bawah norma"},
    "verdict_within": {"en": "Within norm", "id": "Sesuai norma"},
    "verdict_above": {"en": "Above norm", "id": "Di atas norma"},
    "verdict_no data": {"en": "No data", "id": "Tidak ada data"},
    "verdict_no norm": {"en": "No norm for platform", "id": "Tidak ada norma untuk platform"},
    # Tiers page
    "tiers_title": {"en": "Tier distribution", "id": "Sebaran tier"},
    "tiers_caption": {"en": "{scheme}: {bounds}", "id": "{scheme}: {bounds}"},
    "chart_share_title": {"en": "Each tier's share of creators, followers and expected engagements",
                          "id": "Porsi tiap tier atas kreator, pengikut, dan perkiraan engagement"},
    "measure_creators": {"en": "Creators", "id": "Kreator"},
    "measure_followers": {"en": "Followers", "id": "Pengikut"},
    "measure_expected_engagements": {"en": "Expected engagements", "id": "Perkiraan engagement"},
    "chart_platform_title": {"en": "{measure} per tier and platform", "id": "{measure} per tier dan platform"},
    "measure": {"en": "Measure", "id": "Ukuran"},
    "summary_title": {"en": "Per-tier summary", "id": "Ringkasan per tier"},
    "compare_title": {"en": "Compare tier schemes", "id": "Bandingkan skema tier"},
    "compare_with": {"en": "Compare {scheme} with", "id": "Bandingkan {scheme} dengan"},
    "compare_platform": {"en": "Platform", "id": "Platform"},
    "compare_all": {"en": "All platforms", "id": "Semua platform"},
    "compare_changes": {"en": "{changed} of {total} creators change tier.",
                        "id": "{changed} dari {total} kreator berpindah tier."},
    "chart_sankey_title": {"en": "Tiers under {a} (left) and {b} (right)",
                           "id": "Tier menurut {a} (kiri) dan {b} (kanan)"},
    "nano_title": {"en": "Native and non-native nano creators", "id": "Kreator nano native dan non-native"},
    "nano_help": {"en": "Shopee Affiliates splits nano creators into native (new, building an audience from "
                        "scratch) and non-native (already known through an organisation or group). Tag them here "
                        "when the sheet has no such column.",
                  "id": "Shopee Affiliates membagi kreator nano menjadi native (baru, membangun audiens dari nol) "
                        "dan non-native (sudah dikenal lewat organisasi atau grup). Tandai di sini jika sheet tidak "
                        "punya kolomnya."},
    "nano_native": {"en": "Native nano", "id": "Nano native"},
    "nano_non_native": {"en": "Non-native nano", "id": "Nano non-native"},
    "nano_untagged": {"en": "No nano creator is tagged native or non-native yet.",
                      "id": "Belum ada kreator nano yang ditandai native atau non-native."},
    "nano_save": {"en": "Save tags", "id": "Simpan tanda"},
    "chart_nano_title": {"en": "Native against non-native nano creators",
                         "id": "Kreator nano native dibanding non-native"},
    "median_er": {"en": "Median engagement rate", "id": "Median engagement rate"},
    # Engagement page
    "engagement_title": {"en": "Engagement against tier norms", "id": "Engagement dibanding norma tier"},
    "chart_er_title": {"en": "Engagement rate against the norm band", "id": "Engagement rate dibanding rentang norma"},
    "chart_er_box_title": {"en": "Engagement rate by tier", "id": "Engagement rate per tier"},
    "er_axis": {"en": "Engagement rate", "id": "Engagement rate"},
    "followers_axis": {"en": "Followers (log scale)", "id": "Pengikut (skala log)"},
    "norm_band": {"en": "Norm band", "id": "Rentang norma"},
    "norm_note": {"en": "Norms: {name} — {source} ({year})\nER = {definition}",
                  "id": "Norma: {name} — {source} ({year})\nER = {definition}"},
    "grade_low": {"en": "Low", "id": "Rendah"},
    "grade_average": {"en": "Average", "id": "Rata-rata"},
    "grade_good": {"en": "Good", "id": "Baik"},
    "grade_excellent": {"en": "Excellent", "id": "Sangat baik"},
    "grades_rule": {"en": "Grades: Low below the norm band, Average within it, Good above it up to {factor:g}x its "
                          "top, Excellent beyond. Percentile: rank of the ER among creators of the same tier and "
                          "platform in this roster.",
                    "id": "Nilai: Rendah di bawah rentang norma, Rata-rata di dalamnya, Baik di atasnya sampai "
                          "{factor:g}x batas atas, Sangat baik di atas itu. Persentil: peringkat ER di antara "
                          "kreator dengan tier dan platform yang sama di roster ini."},
    "norm_lookup": {"en": "A creator's norm is the band of its platform (or the set's all-platform bands) whose "
                          "follower range holds its follower count, whatever tier scheme is chosen.",
                    "id": "Norma seorang kreator adalah rentang untuk platformnya (atau rentang semua platform) yang "
                          "mencakup jumlah pengikutnya, apa pun skema tier yang dipilih."},
    "flags_title": {"en": "Flags to check", "id": "Tanda untuk diperiksa"},
    "flags_none": {"en": "No creator raised a flag.", "id": "Tidak ada kreator yang ditandai."},
    "flags_count": {"en": "{count} creators raised at least one flag.",
                    "id": "{count} kreator memiliki setidaknya satu tanda."},
    "table_creators": {"en": "Creators with verdicts", "id": "Kreator dan penilaiannya"},
    "custom_title": {"en": "Custom norm set", "id": "Set norma kustom"},
    "custom_help": {"en": "Start from the chosen set, edit the bands (rates as fractions: 3% is 0.03; platform "
                          "'all' applies to every platform without bands of its own), then use it.",
                    "id": "Mulai dari set yang dipilih, ubah rentangnya (rate sebagai pecahan: 3% adalah 0,03; "
                          "platform 'all' berlaku untuk semua platform yang tidak punya rentang sendiri), lalu pakai."},
    "custom_use": {"en": "Use as custom norm set", "id": "Pakai sebagai set norma kustom"},
    "custom_name": {"en": "Custom (edited from {base})", "id": "Kustom (diubah dari {base})"},
    "custom_error": {"en": "These bands cannot be used: {message}", "id": "Rentang ini tidak dapat dipakai: {message}"},
    "field_grade": {"en": "Grade", "id": "Nilai"},
    "field_er_percentile": {"en": "Percentile in tier", "id": "Persentil dalam tier"},
    "field_flags": {"en": "Flags", "id": "Tanda"},
    "field_er_vs_norm": {"en": "ER (norm definition)", "id": "ER (definisi norma)"},
    "field_engagement_rate_roster": {"en": "ER in the sheet", "id": "ER di sheet"},
    "field_norm_low": {"en": "Norm from", "id": "Norma dari"},
    "field_norm_high": {"en": "Norm to", "id": "Norma sampai"},
    "verdict_counts": {"en": "{above} above, {within} within, {below} below their norm",
                       "id": "{above} di atas, {within} sesuai, {below} di bawah norma"},
    "sampled": {"en": "showing {shown} of {total} creators, sampled at random",
                "id": "menampilkan {shown} dari {total} kreator, sampel acak"},
    # Tradeoffs page
    "tradeoffs_title": {"en": "Reach versus engagement", "id": "Jangkauan versus engagement"},
    "chart_tradeoff_title": {"en": "Followers against engagement rate (bubble size: fee)",
                             "id": "Pengikut dibanding engagement rate (ukuran gelembung: harga)"},
    "chart_cpe_title": {"en": "Cost per engagement by tier ({currency}, median)",
                        "id": "Biaya per engagement per tier ({currency}, median)"},
    "chart_per_million_title": {"en": "Expected engagements per {currency} 1 million spent",
                                "id": "Perkiraan engagement per {currency} 1 juta"},
    "frontier": {"en": "Efficient frontier", "id": "Batas efisien"},
    "fee_estimated": {"en": "Fee estimated from the rate card", "id": "Harga diperkirakan dari rate card"},
    "fee_roster": {"en": "Fee from the roster", "id": "Harga dari roster"},
    "reach_axis": {"en": "Reach per post (log scale)", "id": "Jangkauan per posting (skala log)"},
    "cpe_axis": {"en": "Cost per engagement ({currency}, log scale)",
                 "id": "Biaya per engagement ({currency}, skala log)"},
    "chart_cpe_frontier_title": {"en": "Reach against cost per engagement",
                                 "id": "Jangkauan dibanding biaya per engagement"},
    "chart_plans_title": {"en": "Same budget: the optimal mix, all nano, all mega",
                          "id": "Anggaran sama: campuran optimal, semua nano, semua mega"},
    "plan_mix": {"en": "Optimal mix", "id": "Campuran optimal"},
    "plan_nano": {"en": "All nano", "id": "Semua nano"},
    "plan_mega": {"en": "All mega", "id": "Semua mega"},
    "objective_expected_engagements": {"en": "Maximising expected engagements",
                                       "id": "Memaksimalkan perkiraan engagement"},
    "objective_reach": {"en": "Maximising reach", "id": "Memaksimalkan jangkauan"},
    "fees_note": {"en": "Fees: {roster} from the roster, {estimated} estimated from {card} (converted at "
                        "{rate} {currency} per {card_currency}); {missing} creators have no fee and no estimate.",
                  "id": "Harga: {roster} dari roster, {estimated} diperkirakan dari {card} (kurs {rate} {currency} "
                        "per {card_currency}); {missing} kreator tanpa harga dan tanpa perkiraan."},
    "fx_rate": {"en": "Exchange rate for estimated fees ({currency} per {card_currency})",
                "id": "Kurs untuk harga perkiraan ({currency} per {card_currency})"},
    "planner_title": {"en": "Budget planner", "id": "Perencana anggaran"},
    "planner_help": {"en": "Finds the set of creators that gives the most for the budget under your constraints, "
                           "with an exact integer-programming solver (HiGHS), not a rule of thumb.",
                     "id": "Mencari kombinasi kreator terbaik untuk anggaran dengan batasan Anda, memakai solver "
                           "integer programming yang eksak (HiGHS), bukan perkiraan kasar."},
    "budget": {"en": "Budget ({currency})", "id": "Anggaran ({currency})"},
    "objective": {"en": "Maximise", "id": "Maksimalkan"},
    "max_share": {"en": "Most of the budget on one creator (%)",
                  "id": "Porsi anggaran maksimum untuk satu kreator (%)"},
    "tier_limits": {"en": "Creators per tier (min / max)", "id": "Kreator per tier (min / maks)"},
    "platform_limits": {"en": "Creators per platform (min / max)", "id": "Kreator per platform (min / maks)"},
    "must_include": {"en": "Must be in the plan", "id": "Wajib masuk rencana"},
    "must_exclude": {"en": "Must stay out", "id": "Tidak boleh masuk"},
    "plan_button": {"en": "Find the best plan", "id": "Cari rencana terbaik"},
    "plan_result": {"en": "{creators} creators, {fee} spent of {budget}: {engagements} expected engagements, "
                          "reach {reach}.",
                    "id": "{creators} kreator, {fee} terpakai dari {budget}: {engagements} perkiraan engagement, "
                          "jangkauan {reach}."},
    "plan_time_limit": {"en": "The solver hit its time limit: this is the best plan found, maybe not the optimum.",
                        "id": "Solver mencapai batas waktu: ini rencana terbaik yang ditemukan, "
                              "mungkin belum optimal."},
    "plan_infeasible": {"en": "No plan meets every constraint. Relax: {relax}.",
                        "id": "Tidak ada rencana yang memenuhi semua batasan. Longgarkan: {relax}."},
    "plan_infeasible_unknown": {"en": "No plan meets every constraint together; relax several of them.",
                                "id": "Tidak ada rencana yang memenuhi semua batasan sekaligus; longgarkan beberapa."},
    "relax_budget": {"en": "the budget", "id": "anggaran"},
    "relax_tier": {"en": "the per-tier limits", "id": "batas per tier"},
    "relax_platform": {"en": "the per-platform limits", "id": "batas per platform"},
    "relax_must include": {"en": "the must-include list", "id": "daftar wajib masuk"},
    "planner_too_big": {"en": "{count} creators have a fee: narrow them down with the sidebar filters to at most "
                              "{limit} to plan.",
                        "id": "{count} kreator memiliki harga: saring dengan filter di samping hingga paling banyak "
                              "{limit} untuk direncanakan."},
    "use_plan": {"en": "Use this plan as the shortlist", "id": "Pakai rencana ini sebagai shortlist"},
    "shortlist_saved": {"en": "Shortlist: {count} creators.", "id": "Shortlist: {count} kreator."},
    "pick_title": {"en": "Pick creators by hand", "id": "Pilih kreator secara manual"},
    "pick_help": {"en": "Select rows, then add them to the shortlist.",
                  "id": "Pilih baris, lalu tambahkan ke shortlist."},
    "pick_add": {"en": "Add selected to the shortlist", "id": "Tambahkan pilihan ke shortlist"},
    "shortlist_clear": {"en": "Clear the shortlist", "id": "Kosongkan shortlist"},
    "field_creators_with_fee": {"en": "Creators with a fee", "id": "Kreator dengan harga"},
    "field_fees": {"en": "Fees", "id": "Total harga"},
    "field_engagements_per_million": {"en": "Engagements per 1M", "id": "Engagement per 1 jt"},
    "field_reach_per_million": {"en": "Reach per 1M", "id": "Jangkauan per 1 jt"},
    "field_median_er": {"en": "Median ER", "id": "Median ER"},
    "field_fee_estimated": {"en": "Fee estimated", "id": "Harga perkiraan"},
    "field_cpm": {"en": "CPM", "id": "CPM"},
    # Presentation and exports
    "page_present": {"en": "Present", "id": "Presentasi"},
    "presentation_mode": {"en": "Presentation mode", "id": "Mode presentasi"},
    "presentation_mode_help": {"en": "Hides the sidebar and settings while you present; switch off to get them back.",
                               "id": "Menyembunyikan sidebar dan pengaturan saat presentasi; matikan untuk "
                                     "menampilkannya lagi."},
    "present_settings": {"en": "Branding and exports", "id": "Merek dan ekspor"},
    "brand_name": {"en": "Brand (client)", "id": "Merek (klien)"},
    "agency_name": {"en": "Agency", "id": "Agensi"},
    "agency_logo": {"en": "Agency logo (PNG or JPG)", "id": "Logo agensi (PNG atau JPG)"},
    "accent": {"en": "Accent colour", "id": "Warna aksen"},
    "deck_title": {"en": "Creator roster review for {brand}", "id": "Tinjauan roster kreator untuk {brand}"},
    "deck_subtitle": {"en": "Prepared by {agency} · {date} · {scheme}",
                      "id": "Disiapkan oleh {agency} · {date} · {scheme}"},
    "headline_creators": {"en": "Creators", "id": "Kreator"},
    "headline_followers": {"en": "Combined followers", "id": "Total pengikut"},
    "headline_engagements": {"en": "Expected engagements per post", "id": "Perkiraan engagement per posting"},
    "headline_median_er": {"en": "Median engagement rate", "id": "Median engagement rate"},
    "section_tiers": {"en": "How the roster splits into tiers", "id": "Sebaran roster per tier"},
    "section_engagement": {"en": "Engagement against tier norms", "id": "Engagement dibanding norma tier"},
    "section_tradeoffs": {"en": "Reach versus engagement", "id": "Jangkauan versus engagement"},
    "section_cost": {"en": "What the budget buys", "id": "Apa yang dibeli anggaran"},
    "section_shortlist": {"en": "Recommended shortlist", "id": "Shortlist yang direkomendasikan"},
    "section_method": {"en": "Method and sources", "id": "Metode dan sumber"},
    "takeaway_tiers": {"en": "{tier} creators give {engagements} of expected engagements for {share} of the {what}.",
                       "id": "Kreator {tier} memberi {engagements} perkiraan engagement dengan {share} {what}."},
    "takeaway_tiers_single": {"en": "All {count} creators are {tier} under this scheme.",
                              "id": "Semua {count} kreator termasuk {tier} menurut skema ini."},
    "takeaway_tiers_count": {"en": "{tier} creators make up {share} of the roster.",
                             "id": "Kreator {tier} mengisi {share} roster."},
    "takeaway_engagement_none": {"en": "No creator has the likes, comments or engagement rate needed to compare "
                                       "with a norm.",
                                 "id": "Tidak ada kreator dengan likes, komentar, atau engagement rate untuk "
                                       "dibandingkan dengan norma."},
    "takeaway_tradeoffs_rises": {"en": "Engagement rate rises from a median of {small} ({small_tier}) to {large} "
                                       "({large_tier}) as audiences grow.",
                                 "id": "Engagement rate naik dari median {small} ({small_tier}) menjadi {large} "
                                       "({large_tier}) seiring audiens membesar."},
    "takeaway_tradeoffs_single": {"en": "Median engagement rate {er}, from {tier} creators only.",
                                  "id": "Median engagement rate {er}, hanya dari kreator {tier}."},
    "takeaway_cost_single": {"en": "{money} buys about {best} engagements from {best_tier} creators.",
                             "id": "{money} membeli sekitar {best} engagement dari kreator {best_tier}."},
    "takeaway_what_budget": {"en": "budget", "id": "dari anggaran"},
    "takeaway_what_creators": {"en": "creators", "id": "dari jumlah kreator"},
    "takeaway_engagement": {"en": "{above} of {total} creators beat the norm for their size; {best} creators beat it "
                                  "most often ({best_share}).",
                            "id": "{above} dari {total} kreator melampaui norma untuk ukurannya; kreator {best} paling "
                                  "sering melampauinya ({best_share})."},
    "takeaway_tradeoffs": {"en": "Engagement rate falls from a median of {small} ({small_tier}) to {large} "
                                 "({large_tier}) as audiences grow.",
                           "id": "Engagement rate turun dari median {small} ({small_tier}) menjadi {large} "
                                 "({large_tier}) seiring audiens membesar."},
    "takeaway_cost": {"en": "{money} buys about {best} engagements from {best_tier} creators against {worst} from "
                            "{worst_tier} creators.",
                      "id": "{money} membeli sekitar {best} engagement dari kreator {best_tier} dibanding {worst} dari "
                            "kreator {worst_tier}."},
    "takeaway_shortlist": {"en": "{count} creators, reach {reach}, {engagements} expected engagements per post, "
                                 "{spend} in fees.",
                           "id": "{count} kreator, jangkauan {reach}, {engagements} perkiraan engagement per posting, "
                                 "{spend} biaya."},
    "shortlist_suggested_er": {"en": "No shortlist was chosen and the roster has no fees: these are the creators with "
                                     "the highest engagement rate for their tier among those within or above their "
                                     "norm.",
                               "id": "Belum ada shortlist dan roster tidak memuat harga: ini kreator dengan engagement "
                                     "rate tertinggi di tiernya di antara yang sesuai atau di atas norma."},
    "shortlist_suggested_reach": {"en": "No shortlist was chosen and no creator can be compared with a norm: these are "
                                        "the creators with the largest reach.",
                                  "id": "Belum ada shortlist dan tidak ada kreator yang bisa dibandingkan dengan "
                                        "norma: ini kreator dengan jangkauan terbesar."},
    "shortlist_suggested": {"en": "No shortlist was chosen: these are the creators with the lowest cost per engagement "
                                  "among those within or above their norm.",
                            "id": "Belum ada shortlist: ini kreator dengan biaya per engagement terendah di antara "
                                  "yang sesuai atau di atas normanya."},
    "method_scheme": {"en": "Tier scheme: {name} — {source} ({year}). {bounds}.",
                      "id": "Skema tier: {name} — {source} ({year}). {bounds}."},
    "method_norms": {"en": "Engagement norms: {name} — {source} ({year}); ER = {definition}.",
                     "id": "Norma engagement: {name} — {source} ({year}); ER = {definition}."},
    "method_er": {"en": "Engagement rate computed per follower on Instagram, Facebook and X, and per view on TikTok "
                        "and YouTube where views are known: (likes + comments + shares + saves) / denominator. The "
                        "sheet's own ER is used where it has one.",
                  "id": "Engagement rate dihitung per pengikut di Instagram, Facebook dan X, dan per tayangan di "
                        "TikTok dan YouTube bila tayangan diketahui: (suka + komentar + share + simpan) / penyebut. "
                        "ER dari sheet dipakai bila ada."},
    "method_estimated": {"en": "{estimated} of {total} fees are estimated from {card} ({source}, {year}); the rest "
                               "come from the roster.",
                         "id": "{estimated} dari {total} harga diperkirakan dari {card} ({source}, {year}); sisanya "
                               "dari roster."},
    "method_platform_of_all": {"en": "The roster has no platform column: every creator is taken as {platform}.",
                               "id": "Roster tidak punya kolom platform: semua kreator dianggap {platform}."},
    "method_units": {"en": "Numbers read in the unit their column header states: {columns}.",
                     "id": "Angka dibaca dalam satuan yang disebut judul kolomnya: {columns}."},
    "takeaway_shortlist_no_fees": {"en": "{count} creators, reach {reach}, {engagements} expected engagements per "
                                         "post.",
                                   "id": "{count} kreator, jangkauan {reach}, {engagements} perkiraan engagement per "
                                         "posting."},
    "method_rows_shortlist": {"en": "The {count} creators shortlisted for this campaign.",
                              "id": "{count} kreator yang masuk shortlist kampanye ini."},
    "method_rows": {"en": "Roster: {file}. {read} rows read, {ok} creators classified, {rejected} rejected with a "
                          "reason, {other} blank or total rows.",
                    "id": "Roster: {file}. {read} baris dibaca, {ok} kreator terklasifikasi, {rejected} ditolak "
                          "dengan alasan, {other} baris kosong atau total."},
    "download_pptx": {"en": "Download the deck (PPTX)", "id": "Unduh deck (PPTX)"},
    "download_html": {"en": "Download the report (HTML)", "id": "Unduh laporan (HTML)"},
    "download_xlsx": {"en": "Download the workbook (XLSX)", "id": "Unduh workbook (XLSX)"},
    "no_browser": {"en": "Charts in the deck need a headless Chromium on the server: {detail}",
                   "id": "Grafik di deck membutuhkan Chromium headless di server: {detail}"},
    "sheet_creators": {"en": "Creators", "id": "Kreator"},
    "sheet_rejected": {"en": "Rejected rows", "id": "Baris ditolak"},
    "sheet_shortlist": {"en": "Shortlist", "id": "Shortlist"},
    "sheet_tiers": {"en": "Tiers", "id": "Tier"},
    "no_fees": {"en": "The roster has no rate card, so cost figures cannot be shown.",
                "id": "Roster tidak memiliki harga, jadi angka biaya tidak dapat ditampilkan."},
    "expected_note": {"en": "Expected engagements per post = the roster's average interactions, "
                            "else reach x engagement rate.",
                      "id": "Perkiraan engagement per posting = rata-rata interaksi di roster, "
                            "atau jangkauan x engagement rate."},
    # Saved work
    "page_work": {"en": "Saved work", "id": "Pekerjaan tersimpan"},
    "work_location": {"en": "Work is kept in {location}, saved as you go. To back it up, copy that file while "
                            "Tierscope is stopped (SQLite) or use pg_dump (PostgreSQL).",
                      "id": "Pekerjaan disimpan di {location}, otomatis setiap ada perubahan. Untuk cadangan, salin "
                            "berkas itu saat Tierscope berhenti (SQLite) atau gunakan pg_dump (PostgreSQL)."},
    "work_search": {"en": "Search by name, client or file", "id": "Cari nama, klien atau berkas"},
    "work_none": {"en": "Nothing saved yet. Upload a roster, or change anything in the sample: work is saved as "
                        "you go.",
                  "id": "Belum ada yang tersimpan. Unggah roster, atau ubah apa saja di contoh: pekerjaan disimpan "
                        "otomatis."},
    "work_no_match": {"en": "No saved analysis matches “{search}”.",
                      "id": "Tidak ada analisis tersimpan yang cocok dengan “{search}”."},
    "work_no_client": {"en": "No client yet", "id": "Belum ada klien"},
    "work_line": {"en": "{file} · changed {when}", "id": "{file} · diubah {when}"},
    "work_is_open": {"en": "open now", "id": "sedang dibuka"},
    "work_open": {"en": "Open", "id": "Buka"},
    "work_duplicate": {"en": "Duplicate", "id": "Duplikat"},
    "work_export": {"en": "Export", "id": "Ekspor"},
    "work_export_help": {"en": "One .tierscope file with the settings and the original roster, to import on "
                                "another machine.",
                         "id": "Satu berkas .tierscope berisi pengaturan dan roster asli, untuk diimpor di "
                               "komputer lain."},
    "work_manage": {"en": "Rename or delete", "id": "Ganti nama atau hapus"},
    "work_name": {"en": "Name", "id": "Nama"},
    "work_rename": {"en": "Rename", "id": "Ganti nama"},
    "work_delete": {"en": "Delete", "id": "Hapus"},
    "work_delete_confirm": {"en": "Delete “{name}” for good? Its roster file goes too unless another analysis "
                                  "uses it.",
                            "id": "Hapus “{name}” selamanya? Berkas rosternya ikut terhapus kecuali dipakai "
                                  "analisis lain."},
    "work_delete_yes": {"en": "Yes, delete", "id": "Ya, hapus"},
    "work_cancel": {"en": "Cancel", "id": "Batal"},
    "work_import": {"en": "Import an analysis (.tierscope)", "id": "Impor analisis (.tierscope)"},
    "work_imported": {"en": "Imported “{name}”.", "id": "“{name}” berhasil diimpor."},
    "work_import_error": {"en": "Not imported: {message}", "id": "Tidak diimpor: {message}"},
    "work_saved_as": {"en": "“{name}” · saved as you go", "id": "“{name}” · tersimpan otomatis"},
    "work_unsaved": {"en": "Sample roster · saved once you change something",
                     "id": "Roster contoh · disimpan setelah Anda mengubah sesuatu"},
    "analysis_not_found": {"en": "That saved analysis was not found here: it may have been deleted, or the link "
                                 "comes from another Tierscope.",
                           "id": "Analisis tersimpan itu tidak ditemukan di sini: mungkin sudah dihapus, atau "
                                 "tautannya dari Tierscope lain."},
    "analysis_recreated": {"en": "This analysis had been deleted elsewhere; your work was saved as a new analysis.",
                           "id": "Analisis ini telah dihapus di tempat lain; pekerjaan Anda disimpan sebagai "
                                 "analisis baru."},
    "save_failed": {"en": "Your last change could not be saved: {error}",
                    "id": "Perubahan terakhir Anda tidak dapat disimpan: {error}"},
    "store_error": {"en": "Work cannot be saved: {message} Tierscope still works, but nothing is kept after you "
                          "close the tab.",
                    "id": "Pekerjaan tidak dapat disimpan: {message} Tierscope tetap berjalan, tetapi tidak ada yang "
                          "tersimpan setelah tab ditutup."},
    "conflict": {"en": "“{name}” was saved from another window or by a colleague ({when}, version {version}) after "
                       "you opened it, so your last change was not saved over it.",
                 "id": "“{name}” disimpan dari jendela lain atau oleh rekan ({when}, versi {version}) setelah Anda "
                       "membukanya, jadi perubahan terakhir Anda tidak menimpanya."},
    "conflict_load": {"en": "Load their version", "id": "Muat versi mereka"},
    "conflict_keep": {"en": "Keep mine (overwrite theirs)", "id": "Pakai versi saya (timpa)"},
    "remove_logo": {"en": "Remove the logo", "id": "Hapus logo"},
    "creator_counts": {"en": "{accounts} accounts of {creators} creators: {several} creators have several accounts "
                             "(the same name, a merged block or one row), grouped under one Creator id.",
                       "id": "{accounts} akun milik {creators} kreator: {several} kreator punya beberapa akun "
                             "(nama sama, sel gabungan, atau satu baris), dikelompokkan dengan satu ID Kreator."},
    "field_creator": {"en": "Creator", "id": "Kreator"},
    "book_by": {"en": "Book", "id": "Pesan"},
    "book_accounts": {"en": "Single accounts", "id": "Akun satuan"},
    "book_creators": {"en": "Whole creators: all their accounts ({several} have several)",
                      "id": "Kreator utuh: semua akunnya ({several} punya beberapa akun)"},
    "sign_in": {"en": "Sign in", "id": "Masuk"},
    "sign_out": {"en": "Sign out", "id": "Keluar"},
    "sign_in_needed": {"en": "Sign in with your work account to see your agency's rosters.",
                       "id": "Masuk dengan akun kerja Anda untuk melihat roster agensi Anda."},
    "sign_in_refused": {"en": "{email} may not use this Tierscope. Ask the person who runs it to add your address "
                              "or domain, or sign out and use another account.",
                        "id": "{email} tidak diizinkan memakai Tierscope ini. Minta pengelolanya menambahkan alamat "
                              "atau domain Anda, atau keluar dan pakai akun lain."},
    "signed_in_as": {"en": "Signed in as {email} ({organisation})", "id": "Masuk sebagai {email} ({organisation})"},
    "sign_in_off": {"en": "Sign-in is off: Tierscope answers on this computer only.",
                    "id": "Login tidak aktif: Tierscope hanya bisa dibuka dari komputer ini."},
    "open_without_sign_in": {"en": "Sign-in is off and this server answers on other addresses: anyone who can "
                                   "reach it can see and change every analysis.",
                             "id": "Login tidak aktif dan server ini bisa dibuka dari alamat lain: siapa pun yang "
                                   "dapat menjangkaunya bisa melihat dan mengubah semua analisis."},
    "exposure_refused": {"en": "This Tierscope is served on other addresses without sign-in, so it shows nothing. "
                               "Set up sign-in (see the README), serve it on 127.0.0.1, or set {setting}=1 to let "
                               "anyone who can reach it see every analysis.",
                         "id": "Tierscope ini disajikan di alamat lain tanpa login, jadi tidak menampilkan apa pun. "
                               "Atur login (lihat README), sajikan di 127.0.0.1, atau setel {setting}=1 agar siapa "
                               "pun yang menjangkaunya bisa melihat semua analisis."},
    "work_by": {"en": "last changed by {who}", "id": "terakhir diubah oleh {who}"},
    "share_title": {"en": "Share with the client (read-only link)", "id": "Bagikan ke klien (tautan hanya-baca)"},
    "share_unsaved": {"en": "Change something or upload a roster first: a link opens a saved analysis.",
                      "id": "Ubah sesuatu atau unggah roster dulu: tautan membuka analisis yang tersimpan."},
    "share_local": {"en": "Sign-in is off, so a link opens on this computer only.",
                    "id": "Login tidak aktif, jadi tautan hanya terbuka di komputer ini."},
    "share_what": {"en": "The client sees", "id": "Klien melihat"},
    "share_whole": {"en": "The whole roster", "id": "Seluruh roster"},
    "share_shortlist": {"en": "The shortlist only", "id": "Hanya shortlist"},
    "share_fees": {"en": "Show fees", "id": "Tampilkan biaya"},
    "share_fees_shown": {"en": "fees shown", "id": "biaya tampil"},
    "share_fees_hidden": {"en": "fees hidden", "id": "biaya disembunyikan"},
    "share_downloads": {"en": "Allow downloading the deck and report", "id": "Izinkan unduh deck dan laporan"},
    "share_days": {"en": "Days until it expires", "id": "Hari sampai kedaluwarsa"},
    "share_create": {"en": "Create a link", "id": "Buat tautan"},
    "share_created": {"en": "Send this link to the client. It is shown once: Tierscope keeps only a fingerprint of it.",
                      "id": "Kirim tautan ini ke klien. Tautan hanya ditampilkan sekali: Tierscope hanya menyimpan "
                            "sidik jarinya."},
    "share_line": {"en": "{what} · by {by} · expires {expires} · last opened {last} · opened {count} times",
                   "id": "{what} · oleh {by} · kedaluwarsa {expires} · terakhir dibuka {last} · dibuka {count} kali"},
    "share_never": {"en": "never", "id": "belum pernah"},
    "share_revoke": {"en": "Revoke", "id": "Cabut"},
    "link_invalid_title": {"en": "This link is not valid", "id": "Tautan ini tidak berlaku"},
    "link_invalid": {"en": "It may have expired or been withdrawn. Ask the agency that sent it for a new one.",
                     "id": "Tautan mungkin sudah kedaluwarsa atau ditarik. Minta tautan baru dari agensi "
                           "yang mengirimnya."},
    "mapping_repeated": {"en": "{count} columns are named “{header}” ({columns}): {field} is read from “{chosen}”. "
                               "If the other one is right, choose it under Column mapping.",
                         "id": "{count} kolom bernama “{header}” ({columns}): {field} dibaca dari “{chosen}”. "
                               "Bila kolom lain yang benar, pilih di Pemetaan kolom."},
    # Roster over time
    "page_changes": {"en": "Over time", "id": "Dari waktu ke waktu"},
    "changes_intro": {"en": "Add last month's (or next month's) roster of the same creators, in any layout: "
                            "accounts are "
                            "matched by platform and handle (profile links and @ included), or by name when a roster "
                            "has no handles.",
                      "id": "Tambahkan roster bulan lalu (atau bulan depan) dari kreator yang sama, format apa pun: "
                            "akun "
                            "dicocokkan per platform dan handle (termasuk tautan profil dan @), atau per nama bila "
                            "roster tidak punya handle."},
    "snapshots_title": {"en": "Rosters of this analysis", "id": "Roster dalam analisis ini"},
    "snapshot_main": {"en": "the roster of this analysis", "id": "roster analisis ini"},
    "snapshot_date": {"en": "Date", "id": "Tanggal"},
    "snapshot_remove": {"en": "Remove", "id": "Hapus"},
    "snapshot_add": {"en": "Add another roster of the same creators (CSV, TSV, XLSX, XLS, ODS)",
                     "id": "Tambahkan roster lain dari kreator yang sama (CSV, TSV, XLSX, XLS, ODS)"},
    "snapshot_columns": {"en": "Columns of {name}", "id": "Kolom {name}"},
    "snapshot_counts": {"en": "{ok} creators read, {rejected} rejected",
                        "id": "{ok} kreator terbaca, {rejected} ditolak"},
    "snapshot_unreadable": {"en": "{name} cannot be compared: {message}",
                            "id": "{name} tidak bisa dibandingkan: {message}"},
    "snapshots_one": {"en": "Only one roster so far. Add another export of the same creators to see who grew, who "
                            "moved tier, who is new and who left.",
                      "id": "Baru ada satu roster. Tambahkan ekspor lain dari kreator yang sama untuk melihat siapa "
                            "yang tumbuh, naik tier, baru, atau keluar."},
    "compare_before": {"en": "Compare", "id": "Bandingkan"},
    "compare_after": {"en": "with", "id": "dengan"},
    "compare_same": {"en": "Choose two different rosters.", "id": "Pilih dua roster yang berbeda."},
    "metric_kept": {"en": "Accounts in both", "id": "Akun di keduanya"},
    "metric_new": {"en": "New", "id": "Baru"},
    "metric_dropped": {"en": "Dropped", "id": "Keluar"},
    "metric_moved": {"en": "Tier up / down", "id": "Tier naik / turun"},
    "metric_reach": {"en": "Followers", "id": "Pengikut"},
    "metric_flagged": {"en": "Flagged", "id": "Ditandai"},
    "flagged_title": {"en": "Flagged accounts", "id": "Akun yang ditandai"},
    "flagged_none": {"en": "No account is flagged.", "id": "Tidak ada akun yang ditandai."},
    "flag_rules": {"en": "The rules", "id": "Aturannya"},
    "flow_platform": {"en": "Platform", "id": "Platform"},
    "all_platforms": {"en": "All platforms", "id": "Semua platform"},
    "accounts_title": {"en": "Every account", "id": "Semua akun"},
    "download_changes": {"en": "Download the changes (CSV)", "id": "Unduh perubahan (CSV)"},
    "name_matches_title": {"en": "Matched by name: please confirm ({count})",
                           "id": "Cocok menurut nama: mohon konfirmasi ({count})"},
    "name_matches_help": {"en": "A roster without handles was matched by platform and name. Untick an account that "
                                "is not the same person: it is then counted as dropped and new.",
                          "id": "Roster tanpa handle dicocokkan per platform dan nama. Hapus centang akun yang "
                                "bukan orang yang sama: akun itu lalu dihitung keluar dan baru."},
    "same_account": {"en": "Same account", "id": "Akun sama"},
    "name_matches_reset": {"en": "Match every name again", "id": "Cocokkan semua nama lagi"},
    "ambiguous_title": {"en": "Not matched: several accounts share a name ({count})",
                        "id": "Tidak dicocokkan: beberapa akun bernama sama ({count})"},
    "ambiguous_help": {"en": "These are counted as dropped and new. Add handles to either roster to match them.",
                       "id": "Akun ini dihitung keluar dan baru. Tambahkan handle di salah satu roster untuk "
                             "mencocokkannya."},
    "rows_before": {"en": "Rows before", "id": "Baris sebelum"},
    "rows_after": {"en": "Rows after", "id": "Baris sesudah"},
    "history_title": {"en": "One creator across every roster", "id": "Satu kreator di semua roster"},
    "history_search": {"en": "Find a creator (handle or name)", "id": "Cari kreator (handle atau nama)"},
    "history_pick": {"en": "Creator", "id": "Kreator"},
    "history_none": {"en": "No creator matches “{search}”.", "id": "Tidak ada kreator yang cocok dengan “{search}”."},
    "chart_flow_title": {"en": "Tier moves from {since} to {until}", "id": "Perpindahan tier dari {since} ke {until}"},
    "chart_growth_title": {"en": "Median follower growth by tier", "id": "Median pertumbuhan pengikut per tier"},
    "chart_history_title": {"en": "Followers across the rosters", "id": "Pengikut di setiap roster"},
    "median_growth": {"en": "Median growth", "id": "Median pertumbuhan"},
    "change_kept": {"en": "Kept", "id": "Tetap"},
    "change_new": {"en": "New", "id": "Baru"},
    "change_dropped": {"en": "Dropped", "id": "Keluar"},
    "move_up": {"en": "Up", "id": "Naik"},
    "move_same": {"en": "Same", "id": "Sama"},
    "move_down": {"en": "Down", "id": "Turun"},
    "matched_by_handle": {"en": "Handle", "id": "Handle"},
    "matched_by_name": {"en": "Name", "id": "Nama"},
    "field_followers_before": {"en": "Followers before", "id": "Pengikut sebelum"},
    "field_followers_after": {"en": "Followers after", "id": "Pengikut sesudah"},
    "field_growth": {"en": "Growth", "id": "Pertumbuhan"},
    "field_tier_before": {"en": "Tier before", "id": "Tier sebelum"},
    "field_tier_after": {"en": "Tier after", "id": "Tier sesudah"},
    "field_er_before": {"en": "ER before", "id": "ER sebelum"},
    "field_er_after": {"en": "ER after", "id": "ER sesudah"},
    "field_er_change": {"en": "ER change (points)", "id": "Perubahan ER (poin)"},
    "field_move": {"en": "Tier move", "id": "Perpindahan tier"},
    "field_change": {"en": "Change", "id": "Perubahan"},
    "field_matched_by": {"en": "Matched by", "id": "Dicocokkan lewat"},
    "field_flag": {"en": "Flag", "id": "Tanda"},
    "section_changes": {"en": "What changed since {since}", "id": "Apa yang berubah sejak {since}"},
    "takeaway_changes": {"en": "Since {since}: {kept} accounts in both rosters, {new} new, {dropped} dropped. "
                               "Followers "
                               "{before} → {after} ({change}), median growth {median}; {up} moved up a tier and "
                               "{down} down; {flagged} flagged.",
                         "id": "Sejak {since}: {kept} akun ada di kedua roster, {new} baru, {dropped} keluar. Pengikut "
                               "{before} → {after} ({change}), median pertumbuhan {median}; {up} naik tier dan "
                               "{down} turun; {flagged} ditandai."},
    "sheet_changes": {"en": "Changes", "id": "Perubahan"},
    "include_changes": {"en": "Include “What changed since {since}”",
                        "id": "Sertakan “Apa yang berubah sejak {since}”"},
}


def translator(lang: str) -> Callable[..., str]:
    """t(key, **values) in `lang` (English when the language is unknown); `t.lang` says which, for
    the number formats of what it labels."""
    lang = lang if lang in LANGUAGES else "en"

    def t(key: str, **values: object) -> str:
        text = STRINGS[key][lang]
        return text.format(**values) if values else text

    t.lang = lang
    return t


NO_VALUE = "–"  # shown for a figure the roster has no data for


def format_count(value: float, lang: str) -> str:
    """12500 -> '12,500' (English) or '12.500' (Indonesian), by CLDR's rules for the language."""
    if pd.isna(value):
        return NO_VALUE
    return numbers.format_decimal(round(value), format="#,##0", locale=lang)


def format_moment(moment: dt.datetime) -> str:
    """A saved time, the same in every language until the UI has a time zone: '2026-11-24 09:03 UTC'."""
    return dates.format_datetime(moment, "yyyy-MM-dd HH:mm 'UTC'", tzinfo=dt.UTC, locale="en")


def format_date(day: dt.date, lang: str) -> str:
    """'1 Dec 2026' (English) or '1 Des 2026' (Indonesian)."""
    return dates.format_date(day, "d MMM y", locale=lang)


def format_units(header_units: dict[str, float], lang: str) -> str:
    """{'Followers (K)': 1000} -> 'Followers (K) ×1,000' (×1.000 in Indonesian)."""
    return ", ".join(f"{header} ×{format_count(unit, lang)}" for header, unit in header_units.items())


def format_percent(value: float, lang: str, digits: int = 1, signed: bool = False) -> str:
    """0.035 -> '3.5%' (English) or '3,5%' (Indonesian); signed: '+3.5%' and '-3.5%'."""
    if pd.isna(value):
        return NO_VALUE
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return numbers.format_percent(value, format=f"+{pattern};-{pattern}" if signed else pattern, locale=lang)


def localise_labels(frame, t: Callable[..., str]):
    """Tier, platform and verdict codes -> display names in the table's language (vectorised)."""
    out = frame.copy()
    for column, prefix in (("tier", "tier_"), ("tier_before", "tier_"), ("tier_after", "tier_"),
                           ("platform", "platform_"), ("verdict", "verdict_"), ("grade", "grade_"),
                           ("change", "change_"), ("move", "move_"), ("matched_by", "matched_by_")):
        if column in out.columns:
            codes = out[column].astype("object")
            names = {code: t(prefix + code) for code in codes.dropna().unique() if prefix + code in STRINGS}
            out[column] = codes.map(names)
    return out.rename(columns=lambda c: t(f"field_{c}") if f"field_{c}" in STRINGS else c)


def format_money(value: float, currency: str, lang: str) -> str:
    """Compact amounts by CLDR: 'Rp1,5 jt', 'Rp250 rb', 'Rp2,1 M' (Indonesian); 'IDR1.5M', '$1.2K' (English)."""
    if pd.isna(value):
        return NO_VALUE
    return numbers.format_compact_currency(value, currency, locale=lang, fraction_digits=1)
