"""Indonesian personal names for the demo: Sundanese and Javanese, by sex and birth cohort.

Javanese and Sundanese usage has no family names: a person has one to three given names, and
the second part often recurs in a family only by fashion. Elders in rural West Java commonly
carry a single short name; children born after 2010 mostly carry Arabic-derived compound names.
"""

from __future__ import annotations

import random


def _pool(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# (ethnic group, sex, cohort) -> first names. Cohorts: "tua" born before 1965, "dewasa"
# 1965-1989, "muda" 1990-2009, "anak" 2010 and later.
FIRST: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("sunda", "P", "tua"): _pool("Enok Icih Oom Entin Ening Euis Imas Iyah Onah Cicih Titin "
                                 "Enung Emah Aas Nining Tati Cucu Enah Otih Eti"),
    ("sunda", "P", "dewasa"): _pool("Euis Imas Neneng Yati Yanti Dede Iis Ai Lilis Nining Cucu "
                                    "Elis Tuti Rina Nenden Wati Neng Iin Enung Yuyun Eti Cicah"),
    ("sunda", "P", "muda"): _pool("Rina Sri Dewi Fitri Siti Nurul Rani Wulan Nisa Rika Intan "
                                  "Putri Ayu Lia Tia Risma Yuli Desi Anisa Neng Rini Sinta"),
    ("sunda", "L", "tua"): _pool("Karta Oyo Udin Tatang Dadang Aceng Endang Engkos Ujang Atang "
                                 "Ade Sarip Mamat Ohim Uus Juju Jajang Eman Oman"),
    ("sunda", "L", "dewasa"): _pool("Asep Ujang Dede Agus Iwan Dadan Cecep Yayan Wawan Ade Deden "
                                    "Dedi Endang Hendra Rahmat Yusuf Nandang Aep Ajat Dodi"),
    ("sunda", "L", "muda"): _pool("Rizki Fajar Ilham Dimas Rian Andi Gilang Yoga Dicky Rendi "
                                  "Agung Fikri Bayu Irfan Ridwan Sandi Egi Aldi Fauzi Ikhsan"),
    ("jawa", "P", "tua"): _pool("Sumiati Painem Sukinah Tumini Sarinah Wagiyem Sri Pariyem "
                                "Sutini Giyem"),
    ("jawa", "P", "dewasa"): _pool("Sri Sutarmi Wahyuni Suparmi Endang Tri Rini Sulastri "
                                   "Puji Siti Yuli Ninik"),
    ("jawa", "P", "muda"): _pool("Dwi Tri Ayu Putri Retno Wulan Indah Lestari Novi Fitri Dian"),
    ("jawa", "L", "tua"): _pool("Sukardi Paijo Sumarno Wagiman Suparman Sutrisno Karto "
                                "Marjuki Suyono"),
    ("jawa", "L", "dewasa"): _pool("Slamet Budi Joko Bambang Agus Heru Eko Wahyu Sugeng Teguh "
                                   "Hadi"),
    ("jawa", "L", "muda"): _pool("Eko Dwi Aditya Bagus Yoga Galih Wisnu Teguh Arif Adi Rudi"),
}
CHILD_FIRST = {
    "P": _pool("Aisyah Zahra Nayla Alesha Khanza Azzahra Syakira Kirana Aqila Arsyila Humaira "
               "Keisha Najwa Adiba Shakila Naura Zaskia Alifa Hafsah Nadhira Almira Kayla"),
    "L": _pool("Muhammad Rafa Alfatih Arkan Azka Raffa Zidan Kenzo Arsya Abizar Fathan Alby "
               "Rayyan Athar Shaka Zayn Elvan Gibran Barra Danendra Rasya Adzam"),
}
SECOND: dict[tuple[str, str], tuple[str, ...]] = {
    ("sunda", "L"): _pool("Sunandar Permana Hidayat Supriatna Kurnia Suryana Gunawan Setiawan "
                          "Saepudin Mulyana Ruhiyat Sopandi Rustandi Hermawan Nugraha Maulana "
                          "Saputra Firmansyah Ramdani Sudrajat"),
    ("sunda", "P"): _pool("Rohayati Nurhayati Rahmawati Kurniasih Sumiati Handayani Lestari "
                          "Nuraeni Rosmiati Mulyani Komalasari Yuliani Fitriani Sulastri "
                          "Nurjanah Maryani Juariah Rosita"),
    ("jawa", "L"): _pool("Santoso Wibowo Susilo Prasetyo Purnomo Sutrisno Setiadi Nugroho "
                         "Hartono Wijaya Kusuma Raharjo"),
    ("jawa", "P"): _pool("Wahyuni Lestari Suryani Rahayu Setyowati Purwanti Kusumawati "
                         "Wulandari Astuti Pratiwi Susanti"),
}
CHILD_SECOND = {
    "P": _pool("Putri Ramadhani Azzahra Nuraini Maulida Khairunnisa Safitri Humaira Aulia "
               "Salsabila Rahmadani Anindita"),
    "L": _pool("Alfarizi Ramadhan Pratama Putra Alfarezel Abqary Hafiz Maulana Al-Fatih "
               "Firmansyah Ardiansyah Akbar"),
}


def cohort(birth_year: int) -> str:
    if birth_year < 1965:
        return "tua"
    if birth_year < 1990:
        return "dewasa"
    return "muda" if birth_year < 2010 else "anak"


def full_name(rng: random.Random, sex: str, birth_year: int, ethnic: str) -> str:
    """A name fitting the person's sex, cohort and ethnic group."""
    group = cohort(birth_year)
    if group == "anak":
        parts = [rng.choice(CHILD_FIRST[sex]), rng.choice(CHILD_SECOND[sex])]
        if rng.random() < 0.3:
            parts.insert(1, rng.choice(CHILD_FIRST[sex]))
        return " ".join(dict.fromkeys(parts))  # drops an accidental repeat
    first = rng.choice(FIRST[(ethnic, sex, group)])
    single = {"tua": 0.45, "dewasa": 0.2, "muda": 0.05}[group]
    if rng.random() < single:
        return first
    second = rng.choice(SECOND[(ethnic, sex)])
    return first if second == first else f"{first} {second}"


def fixed_name(index: int, sex: str) -> str:
    """A stable adult name for staff (same index, same name, whatever the seed)."""
    firsts = FIRST[("sunda", sex, "dewasa")] + FIRST[("sunda", sex, "muda")]
    seconds = SECOND[("sunda", sex)]
    return f"{firsts[(index * 7) % len(firsts)]} {seconds[(index * 5) % len(seconds)]}"
