"""Recurrent layers: RNN(cell) and the built-in SimpleRNN, LSTM, GRU with their cells."""

from kerlite.layers.recurrent.conv_lstm import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from kerlite.layers.recurrent.gru import GRU, GRUCell
from kerlite.layers.recurrent.lstm import LSTM, LSTMCell
from kerlite.layers.recurrent.rnn import RNN
from kerlite.layers.recurrent.simple_rnn import SimpleRNN, SimpleRNNCell
from kerlite.layers.recurrent.stacked_rnn_cells import StackedRNNCells

__all__ = ["ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "GRU", "GRUCell", "LSTM", "LSTMCell",
           "RNN", "SimpleRNN", "SimpleRNNCell", "StackedRNNCells"]
