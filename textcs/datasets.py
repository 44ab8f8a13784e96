"""Loaders for the real, public, labelled data sets in ``../shared/data/real`` (never copied here).

Each loader returns a tidy frame with ``text`` and ``split`` columns plus its own labels, listed in
:data:`DATASETS`. Splits are those the folder declares: ``train``/``test``, the official SemEval and
Korean ABSA splits, or ``eval`` for sets that are for measuring only. **Never train on ``test`` or
``eval``.** When the folder is absent, :class:`DatasetNotFound` is raised, and tests skip on it.

>>> sorted(DATASETS)[:3]
['cfpb_complaints', 'complaints_acl2019', 'korean_absa']
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from .errors import ResourceError

__all__ = ["DATASETS", "DatasetNotFound", "load_dataset", "real_data_root", "available"]


class DatasetNotFound(ResourceError):
    """The real data folder, or one data set in it, is not on this machine."""


def real_data_root() -> Path:
    """``$TEXTCS_REAL_DATA`` if set, else ``../shared/data/real`` beside the repository."""
    env = os.environ.get("TEXTCS_REAL_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


def _csv(folder: str, name: str, rename: dict[str, str], keep: list[str]) -> Callable[[Path], pd.DataFrame]:
    def load(root: Path) -> pd.DataFrame:
        frame = pd.read_csv(root / folder / name, dtype={"split": str}, low_memory=False)
        frame = frame.rename(columns=rename)
        frame = frame[[c for c in keep if c in frame.columns]]
        frame = frame[frame["text"].notna() & (frame["text"].astype(str).str.strip() != "")]
        frame["text"] = frame["text"].astype(str)
        return frame.reset_index(drop=True)

    return load


def _semeval(folder: str, files: dict[str, str], opinion_tag: str) -> Callable[[Path], pd.DataFrame]:
    """SemEval ABSA XML: one row per sentence, its categories and their polarity, official split."""

    def load(root: Path) -> pd.DataFrame:
        rows = []
        for split, name in files.items():
            for s in ET.parse(root / folder / name).getroot().iter("sentence"):
                ops = [(o.get("category"), o.get("polarity")) for o in s.iter(opinion_tag)]
                rows.append({
                    "id": s.get("id"),
                    "text": s.findtext("text"),
                    "categories": sorted({c for c, _ in ops}),
                    "category_polarity": dict(ops),
                    "split": split,
                })
        return pd.DataFrame(rows)

    return load


@dataclass(frozen=True)
class Dataset:
    folder: str
    language: str
    columns: str
    loader: Callable[[Path], pd.DataFrame]


DATASETS: dict[str, Dataset] = {
    "twitter_airline": Dataset(
        "twitter_us_airline_sentiment", "en",
        "tweet_id, airline, text, sentiment (negative/neutral/positive), negativereason, split",
        _csv("twitter_us_airline_sentiment", "tweets.prepared.csv", {},
             ["tweet_id", "airline", "text", "sentiment", "sentiment_confidence", "negativereason", "created", "split"]),
    ),
    "yogiyo": Dataset(
        "yogiyo_delivery_reviews_subratings", "ko",
        "restaurant, location, menu, text, total/taste/quantity/delivery stars 1-5, date, split",
        _csv("yogiyo_delivery_reviews_subratings", "yogiyo.prepared.csv", {"review": "text"},
             ["restaurant", "location", "menu", "text", "total", "taste", "quantity", "delivery", "date", "split"]),
    ),
    "korean_absa": Dataset(
        "korean_food_delivery_absa", "ko",
        "text, aspect (가격/맛/배달/서비스/양), polarity (-1/0/1), split (official)",
        _csv("korean_food_delivery_absa", "absa.prepared.csv", {}, ["text", "aspect", "polarity", "split"]),
    ),
    "semeval2014_restaurants": Dataset(
        "semeval2014_task4_restaurants", "en",
        "id, text, categories (service/food/price/ambience/anecdotes/miscellaneous), category_polarity, split (official)",
        _semeval("semeval2014_task4_restaurants",
                 {"train": "Restaurants_Train_v2.xml", "test": "Restaurants_Test_Gold.xml"}, "aspectCategory"),
    ),
    "semeval2016_restaurants": Dataset(
        "semeval2016_task5_restaurants", "en",
        "id, text, categories (ENTITY#ATTRIBUTE), category_polarity, split (official)",
        _semeval("semeval2016_task5_restaurants",
                 {"train": "ABSA16_Restaurants_Train_SB1_v2.xml", "test": "EN_REST_SB1_TEST_gold.xml"}, "Opinion"),
    ),
    "skytrax_airline": Dataset(
        "skytrax_reviews", "en",
        "airline_name, date, text, cabin_flown, overall_rating 1-10, seat_comfort/cabin_staff/food_beverages/"
        "inflight_entertainment/ground_service/wifi_connectivity/value_money ratings 0-5, recommended, split",
        _csv("skytrax_reviews", "airline.prepared.csv", {"content": "text"},
             ["airline_name", "date", "text", "type_traveller", "cabin_flown", "overall_rating", "seat_comfort_rating",
              "cabin_staff_rating", "food_beverages_rating", "inflight_entertainment_rating", "ground_service_rating",
              "wifi_connectivity_rating", "value_money_rating", "recommended", "split"]),
    ),
    "skytrax_lounge": Dataset(
        "skytrax_reviews", "en",
        "airline_name, lounge_name, airport, text, overall_rating, comfort/cleanliness/bar_beverages/catering/"
        "washrooms/wifi_connectivity/staff_service ratings, recommended, split",
        _csv("skytrax_reviews", "lounge.prepared.csv", {"content": "text"},
             ["airline_name", "lounge_name", "airport", "lounge_type", "date", "text", "overall_rating", "comfort_rating",
              "cleanliness_rating", "bar_beverages_rating", "catering_rating", "washrooms_rating",
              "wifi_connectivity_rating", "staff_service_rating", "recommended", "split"]),
    ),
    "skytrax_seat": Dataset(
        "skytrax_reviews", "en", "airline_name, text, seat ratings, recommended, split",
        _csv("skytrax_reviews", "seat.prepared.csv", {"content": "text"},
             ["airline_name", "aircraft", "cabin_flown", "date", "text", "overall_rating", "seat_legroom_rating",
              "seat_recline_rating", "seat_width_rating", "aisle_space_rating", "recommended", "split"]),
    ),
    "skytrax_airport": Dataset(
        "skytrax_reviews", "en", "airport_name, text, airport ratings, recommended, split",
        _csv("skytrax_reviews", "airport.prepared.csv", {"content": "text"},
             ["airport_name", "date", "text", "overall_rating", "queuing_rating", "terminal_cleanliness_rating",
              "terminal_seating_rating", "terminal_signs_rating", "food_beverages_rating", "airport_shopping_rating",
              "wifi_connectivity_rating", "airport_staff_rating", "recommended", "split"]),
    ),
    "skytrax_british_airways": Dataset(
        "skytrax_reviews", "en",
        "date, text, seat_comfort/cabin_staff_service/food_beverages/inflight_entertainment/ground_service/"
        "wifi_connectivity/value_for_money stars 1-5, recommended, split (eval only)",
        _csv("skytrax_reviews", "british_airways_2015_2025.prepared.csv",
             {"review_body": "text", "Seat Comfort": "seat_comfort", "Cabin Staff Service": "cabin_staff_service",
              "Food & Beverages": "food_beverages", "Inflight Entertainment": "inflight_entertainment",
              "Ground Service": "ground_service", "Wifi & Connectivity": "wifi_connectivity",
              "Value For Money": "value_for_money", "Recommended": "recommended", "Type Of Traveller": "type_traveller",
              "Seat Type": "seat_type"},
             ["date", "text", "type_traveller", "seat_type", "seat_comfort", "cabin_staff_service", "food_beverages",
              "inflight_entertainment", "ground_service", "wifi_connectivity", "value_for_money", "recommended", "split"]),
    ),
    "nsmc": Dataset(
        "nsmc_raw_sample", "ko", "review_id, movie_id, rating 1-10, date, text, split",
        _csv("nsmc_raw_sample", "nsmc.prepared.csv", {"review": "text"},
             ["review_id", "movie_id", "rating", "date", "text", "split"]),
    ),
    "cfpb_complaints": Dataset(
        "cfpb_consumer_complaints_sample", "en",
        "complaint_id, product, sub_product, issue, sub_issue, text (narrative; rows without one dropped), "
        "company, company_response, timely, disputed, split",
        _csv("cfpb_consumer_complaints_sample", "complaints.prepared.csv",
             {"Consumer complaint narrative": "text", "Complaint ID": "complaint_id", "Product": "product",
              "Sub-product": "sub_product", "Issue": "issue", "Sub-issue": "sub_issue", "Company": "company",
              "Company response to consumer": "company_response", "Timely response?": "timely",
              "Consumer disputed?": "disputed", "Date received": "date"},
             ["complaint_id", "date", "product", "sub_product", "issue", "sub_issue", "text", "company",
              "company_response", "timely", "disputed", "split"]),
    ),
    "complaints_acl2019": Dataset(
        "complaints_social_media_acl2019", "en", "tweet_id, text, complaint (0/1), domain, split",
        _csv("complaints_social_media_acl2019", "complaints.prepared.csv", {},
             ["tweet_id", "text", "complaint", "domain", "split"]),
    ),
    "yanolja": Dataset(
        "korean_hotel_reviews_yanolja", "ko", "hotel, star 0-5, text, date, split (eval only)",
        _csv("korean_hotel_reviews_yanolja", "yanolja.prepared.csv", {"review": "text"},
             ["hotel", "star", "text", "real_date", "split"]),
    ),
}


def available() -> list[str]:
    """Names of the data sets present on this machine."""
    root = real_data_root()
    return [name for name, ds in DATASETS.items() if (root / ds.folder).is_dir()]


def load_dataset(name: str, split: str | None = None) -> pd.DataFrame:
    """Load one real data set by name (see :data:`DATASETS`), optionally one split.

    Raises :class:`DatasetNotFound` when its folder is absent, and ``KeyError`` for an unknown name.
    """
    try:
        ds = DATASETS[name]
    except KeyError:
        raise KeyError(f"unknown data set {name!r}; known: {sorted(DATASETS)}") from None
    root = real_data_root()
    if not (root / ds.folder).is_dir():
        raise DatasetNotFound(f"data set {name!r} not found: {root / ds.folder} is absent")
    frame = ds.loader(root)
    if split is not None:
        frame = frame[frame["split"] == split].reset_index(drop=True)
    return frame
